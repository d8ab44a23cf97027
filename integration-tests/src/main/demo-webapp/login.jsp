<%@ page contentType="text/plain; charset=UTF-8" %><%
    // Application login as CloudStack does it: attributes in the session. POST user=NAME.
    if (!"POST".equals(request.getMethod())) {
        response.sendError(405);
        return;
    }
    String user = request.getParameter("user");
    if (user == null || !user.matches("[A-Za-z0-9_.-]{1,32}")) {
        response.sendError(400, "user: 1-32 letters, digits, _ . -");
        return;
    }
    session.setAttribute("userid", user);
    session.setAttribute("visits", 0);
    response.sendRedirect(response.encodeRedirectURL("index.jsp"));
%>
