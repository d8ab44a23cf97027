package io.jvmroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlFilesTest {

    private static final String SERVER_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Server port="-1">
              <Service name="Catalina">
                <Connector port="20400" protocol="AJP/1.3" />
                <Engine name="Catalina" defaultHost="localhost" jvmRoute="jvm1">
                  <Valve className="io.jvmroute.valve.JvmRouteValve"/>
                  <Host name="localhost"/>
                </Engine>
              </Service>
            </Server>
            """;

    @Test
    void elementsKnowTheirLineAttributesAndPlace() throws Exception {
        XmlNode server = XmlFiles.parse(SERVER_XML, "server.xml");

        XmlNode engine = server.descendants("Engine").get(0);
        XmlNode valve = engine.children("Valve").get(0);

        assertThat(engine.line()).isEqualTo(5);
        assertThat(engine.attribute("jvmRoute")).contains("jvm1");
        assertThat(engine.attribute("missing")).isEmpty();
        assertThat(valve.line()).isEqualTo(6);
        assertThat(valve.ancestor("Service").map(XmlNode::name)).contains("Service");
        assertThat(server.descendants("Connector").get(0).attribute("protocol")).contains("AJP/1.3");
    }

    @Test
    void brokenXmlGivesFileLineAndReasonNotAStackTrace() {
        String broken = "<Server>\n  <Engine jvmRoute=\"jvm1\">\n  </Host>\n</Server>\n";

        assertThatThrownBy(() -> XmlFiles.parse(broken, "conf/server.xml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf/server.xml:3:")
                .hasMessageContaining("not well-formed XML");
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        Path hostile = dir.resolve("web.xml");
        Files.writeString(hostile, "<?xml version=\"1.0\"?>\n<!DOCTYPE web-app [<!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">]>\n<web-app><display-name>&x;</display-name></web-app>\n");

        XmlNode webApp = XmlFiles.read(hostile);

        assertThat(webApp.children("display-name").get(0).text()).doesNotContain("TOP-SECRET");
    }

    @Test
    void anOldWebXmlWithADoctypeIsReadWithoutFetchingTheDtd(@TempDir Path dir) throws Exception {
        Path webXml = dir.resolve("web.xml");
        Files.writeString(webXml, """
                <?xml version="1.0"?>
                <!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN" "http://java.sun.com/dtd/web-app_2_3.dtd">
                <web-app>
                  <distributable/>
                </web-app>
                """);

        XmlNode webApp = XmlFiles.read(webXml);

        assertThat(webApp.children("distributable")).hasSize(1);
    }

    @Test
    void entityExpansionBombsAreRefused() {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE b [<!ENTITY a0 \"ha\">");
        for (int i = 1; i <= 30; i++) {
            bomb.append("<!ENTITY a").append(i).append(" \"&a").append(i - 1).append(";&a").append(i - 1).append(";\">");
        }
        bomb.append("]>\n<b>&a30;</b>");

        assertThatThrownBy(() -> XmlFiles.parse(bomb.toString(), "bomb.xml")).isInstanceOf(ConfigException.class);
    }

    @Test
    void aMissingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> XmlFiles.read(dir.resolve("nope.xml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.xml: cannot read");
    }
}
