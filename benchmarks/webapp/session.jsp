<%@ page session="false" contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" %><%
    // Workload (b): a request of a logged-in user; reads the session its cookie names (never creates one).
    jakarta.servlet.http.HttpSession s = request.getSession(false);
    Object user = s == null ? null : s.getAttribute("userid");
%>user=<%= user == null ? "" : user %>
