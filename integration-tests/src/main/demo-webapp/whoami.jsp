<%@ page session="false" contentType="text/plain; charset=UTF-8" %><%
    // Machine-readable view of the same facts index.jsp shows, for tests and scripts.
    jakarta.servlet.http.HttpSession s = request.getSession(false);
    Object user = s == null ? null : s.getAttribute("userid");
%>node=<%= System.getProperty("jvmroute.node", "?") %>
session=<%= s == null ? "" : s.getId() %>
user=<%= user == null ? "" : user %>
visits=<%= s == null || s.getAttribute("visits") == null ? 0 : s.getAttribute("visits") %>
<%
    if (s != null && user != null) {
        Integer visits = (Integer) s.getAttribute("visits");
        s.setAttribute("visits", visits == null ? 1 : visits + 1);
    }
%>
