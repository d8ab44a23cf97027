<%@ page session="false" %><%
    jakarta.servlet.http.HttpSession s = request.getSession(false);
    if (s != null) {
        s.invalidate();
    }
    response.sendRedirect("index.jsp");
%>
