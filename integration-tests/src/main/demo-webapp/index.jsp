<%@ page session="false" contentType="text/html; charset=UTF-8" %><%
    jakarta.servlet.http.HttpSession s = request.getSession(false);
    Object user = s == null ? null : s.getAttribute("userid");
    String node = System.getProperty("jvmroute.node", "?");
%><!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>jvmroute demo — <%= node %></title>
<style>
  body { font-family: system-ui, sans-serif; margin: 3em auto; max-width: 40em; color: #222; }
  .node { font-size: 3em; font-weight: bold; }
  code { background: #f3f3f3; padding: 0 .3em; }
</style></head>
<body>
<p>Served by node</p>
<p class="node"><%= node %></p>
<% if (user == null) { %>
  <p>You are not logged in.</p>
  <form method="post" action="<%= response.encodeURL("login.jsp") %>">
    <label>User <input name="user" value="alice" pattern="[A-Za-z0-9_.-]{1,32}"></label>
    <button>Log in</button>
  </form>
<% } else { %>
  <p>Logged in as <b><%= user %></b>. Session <code><%= s.getId() %></code>.</p>
  <p>Now stop the node that served this page and reload: you stay logged in, served by another node.</p>
  <form method="post" action="logout.jsp"><button>Log out</button></form>
<% } %>
</body>
</html>
