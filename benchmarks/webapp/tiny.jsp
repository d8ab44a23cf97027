<%@ page session="false" contentType="text/plain; charset=UTF-8" trimDirectiveWhitespaces="true" %>ok
