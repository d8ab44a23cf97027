<%@ page session="false" contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" %><%
    // Workload (c): a POST whose body (16 KiB) is read to the end; answers how many bytes arrived.
    byte[] buffer = new byte[8192];
    long total = 0;
    java.io.InputStream in = request.getInputStream();
    for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
    }
%><%= total %>
