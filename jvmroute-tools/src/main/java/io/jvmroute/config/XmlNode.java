package io.jvmroute.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One element of an operator's XML file (server.xml, context.xml, web.xml) with the line it starts on, so
 * that every finding of {@code jvmroute check} can name {@code file:line}. Element and attribute names are
 * the local names as written; text content is kept only for leaf elements (web.xml values).
 */
public final class XmlNode {

    private final String name;
    private final Map<String, String> attributes;
    private final int line;
    private final XmlNode parent;
    private final List<XmlNode> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlNode(String name, Map<String, String> attributes, int line, XmlNode parent) {
        this.name = name;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.line = line;
        this.parent = parent;
        if (parent != null) {
            parent.children.add(this);
        }
    }

    void appendText(char[] chars, int start, int length) {
        if (text.length() < 4096) { // values we read are short; a huge text node is not kept
            text.append(chars, start, Math.min(length, 4096 - text.length()));
        }
    }

    public String name() {
        return name;
    }

    /** 1-based line of the element's start tag (where the parser saw it end). */
    public int line() {
        return line;
    }

    public Optional<XmlNode> parent() {
        return Optional.ofNullable(parent);
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    /** The attribute's value, or empty when absent. */
    public Optional<String> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /** The trimmed text content. */
    public String text() {
        return text.toString().trim();
    }

    public List<XmlNode> children() {
        return Collections.unmodifiableList(children);
    }

    /** Direct children with this element name. */
    public List<XmlNode> children(String childName) {
        List<XmlNode> found = new ArrayList<>();
        for (XmlNode child : children) {
            if (child.name.equals(childName)) {
                found.add(child);
            }
        }
        return found;
    }

    /** All elements below this one (depth first, document order) with this name. */
    public List<XmlNode> descendants(String descendantName) {
        List<XmlNode> found = new ArrayList<>();
        collect(descendantName, found);
        return found;
    }

    private void collect(String descendantName, List<XmlNode> found) {
        for (XmlNode child : children) {
            if (child.name.equals(descendantName)) {
                found.add(child);
            }
            child.collect(descendantName, found);
        }
    }

    /** The nearest enclosing element with this name, if any. */
    public Optional<XmlNode> ancestor(String ancestorName) {
        for (XmlNode p = parent; p != null; p = p.parent) {
            if (p.name.equals(ancestorName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "<" + name + "> at line " + line;
    }
}
