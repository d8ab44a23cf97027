<%@ page session="false" contentType="text/plain; charset=UTF-8" %>node=<%= System.getProperty("jvmroute.node", "?") %>
