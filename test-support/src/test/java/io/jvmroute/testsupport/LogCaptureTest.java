package io.jvmroute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogCaptureTest {

    @Test
    void aJuliCaptureRecordsItsLevelAndAboveFormattedUntilClosed() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(LogCaptureTest.class.getName());
        LogCapture capture = LogCapture.juli(LogCaptureTest.class, java.util.logging.Level.WARNING);

        logger.info("below the level");
        logger.log(java.util.logging.Level.WARNING, "peer {0} refused", "jvm2");
        logger.severe("quotes 'stay' and {braces} too");
        capture.close();
        logger.severe("after close");

        assertThat(capture.messages()).containsExactly("peer jvm2 refused", "quotes 'stay' and {braces} too");
    }

    @Test
    void aLogbackCaptureRecordsInfoLinesOfAQuietLoggerAndRestoresItsLevel() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.jvmroute.testsupport.quiet");
        logger.setLevel(Level.WARN);
        LogCapture capture = LogCapture.logback("io.jvmroute.testsupport.quiet");

        logger.debug("below INFO");
        logger.info("request {} served", 1);
        capture.close();
        logger.warn("after close");

        assertThat(capture.messages()).containsExactly("request 1 served");
        assertThat(logger.getLevel()).isEqualTo(Level.WARN);
    }
}
