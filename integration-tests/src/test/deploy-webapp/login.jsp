<%@ page contentType="text/html; charset=UTF-8" %><!DOCTYPE html>
<html lang="en"><head><title>login</title></head>
<body>
<!-- LOGIN-FORM node=<%= System.getProperty("jvmroute.node", "?") %> -->
<form method="post" action="<%= response.encodeURL("j_security_check") %>">
  <input name="j_username"> <input name="j_password" type="password"> <button>Log in</button>
</form>
</body></html>
