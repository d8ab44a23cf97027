<%@ page contentType="text/plain; charset=UTF-8" %><%
    // Reads the session without changing it: for comparing the copies on each node.
%>node=<%= System.getProperty("jvmroute.node", "?") %>
session=<%= session.getId() %>
principal=<%= request.getRemoteUser() %>
userid=<%= session.getAttribute("userid") %>
visits=<%= session.getAttribute("visits") %>
