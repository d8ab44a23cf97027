package io.jvmroute.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads an operator's XML file into {@link XmlNode}s with line numbers. The file may come from anywhere, so
 * the parser resolves no external entity or DTD (an old web.xml's DOCTYPE is read but not fetched) and
 * keeps the JDK's limits on entity expansion. Broken XML is a {@link ConfigException} naming
 * {@code file:line:column} and the parser's reason, never a stack trace.
 */
public final class XmlFiles {

    /** Larger files are not configuration files. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private XmlFiles() {
    }

    /** The root element of {@code file}. */
    public static XmlNode read(Path file) throws ConfigException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(file + ": larger than 16 MiB (expected: a configuration file)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                InputSource source = new InputSource(in);
                source.setSystemId(file.toUri().toString());
                return parse(source, file.toString());
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The root element of XML text; {@code name} stands for the file in messages. */
    public static XmlNode parse(String xml, String name) throws ConfigException {
        try {
            return parse(new InputSource(new StringReader(xml)), name);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static XmlNode parse(InputSource source, String name) throws ConfigException, IOException {
        TreeBuilder builder = new TreeBuilder();
        try {
            newParser().parse(source, builder);
        } catch (SAXParseException e) {
            throw new ConfigException(name + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": not well-formed XML ("
                    + e.getMessage() + ")");
        } catch (SAXException e) {
            throw new ConfigException(name + ": not well-formed XML (" + e.getMessage() + ")");
        }
        if (builder.root == null) {
            throw new ConfigException(name + ": no root element");
        }
        return builder.root;
    }

    private static SAXParser newParser() throws SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setXIncludeAware(false);
            return factory.newSAXParser();
        } catch (ParserConfigurationException e) {
            throw new SAXException("XML parser without the features needed to read untrusted files safely", e);
        }
    }

    private static final class TreeBuilder extends DefaultHandler {
        private final Deque<XmlNode> open = new ArrayDeque<>();
        private Locator locator;
        private XmlNode root;

        @Override
        public void setDocumentLocator(Locator documentLocator) {
            this.locator = documentLocator;
        }

        @Override
        public InputSource resolveEntity(String publicId, String systemId) {
            return new InputSource(new StringReader("")); // never fetch anything a file points to
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attrs) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < attrs.getLength(); i++) {
                String attributeName = attrs.getLocalName(i).isEmpty() ? attrs.getQName(i) : attrs.getLocalName(i);
                attributes.put(attributeName, attrs.getValue(i));
            }
            String elementName = localName.isEmpty() ? qName : localName;
            XmlNode node = new XmlNode(elementName, attributes, locator == null ? 0 : locator.getLineNumber(), open.peek());
            if (root == null) {
                root = node;
            }
            open.push(node);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!open.isEmpty()) {
                open.peek().appendText(ch, start, length);
            }
        }
    }
}
