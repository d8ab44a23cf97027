<%@ page contentType="text/plain; charset=UTF-8" %><%
    // The container principal (FORM login) and the application's own login attribute, set on the first
    // page after the login as an application does; visits counts this session's requests (stale reads).
    if (session.getAttribute("userid") == null) {
        session.setAttribute("userid", request.getRemoteUser());
    }
    Integer visits = (Integer) session.getAttribute("visits");
    int now = visits == null ? 1 : visits + 1;
    session.setAttribute("visits", now);
%>node=<%= System.getProperty("jvmroute.node", "?") %>
session=<%= session.getId() %>
principal=<%= request.getRemoteUser() %>
userid=<%= session.getAttribute("userid") %>
visits=<%= now %>
