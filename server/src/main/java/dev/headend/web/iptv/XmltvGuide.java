package dev.headend.web.iptv;

import dev.headend.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The XMLTV guide, valid against the XMLTV DTD: one {@code <channel>} per channel (id equal to
 * the M3U {@code tvg-id}; display names "number name", "name" and "number"; icon), then for each
 * channel placeholder programmes named after it, one per clock hour, from the start of the
 * current hour until at least {@link #AHEAD} from now, so that clients show something. Times
 * are UTC with an explicit {@code +0000} offset. Text is escaped by the XML writer.
 */
final class XmltvGuide {
    /** How far ahead the guide reaches. */
    static final Duration AHEAD = Duration.ofHours(24);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss Z")
            .withZone(ZoneOffset.UTC);
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private XmltvGuide() {}

    /** The guide at wall-clock time {@code now}, UTF-8. */
    static byte[] render(Lineup lineup, Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeDTD("<!DOCTYPE tv SYSTEM \"xmltv.dtd\">");
            xml.writeCharacters("\n");
            xml.writeStartElement("tv");
            xml.writeAttribute("generator-info-name", "Headend");
            for (Lineup.Entry e : lineup.entries()) {
                channel(xml, e);
            }
            Instant first = now.truncatedTo(ChronoUnit.HOURS);
            Instant end = now.plus(AHEAD);
            for (Lineup.Entry e : lineup.entries()) {
                for (Instant start = first; start.isBefore(end); start = start.plus(Duration.ofHours(1))) {
                    programme(xml, e, start, start.plus(Duration.ofHours(1)));
                }
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the guide to memory", e);
        }
        out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void channel(XMLStreamWriter xml, Lineup.Entry e) throws XMLStreamException {
        Channel c = e.channel();
        xml.writeCharacters("\n  ");
        xml.writeStartElement("channel");
        xml.writeAttribute("id", e.guideId());
        text(xml, "display-name", e.number() + " " + c.name());
        text(xml, "display-name", c.name());
        text(xml, "display-name", Integer.toString(e.number()));
        if (c.logo().isPresent()) {
            xml.writeCharacters("\n    ");
            xml.writeEmptyElement("icon");
            xml.writeAttribute("src", xmlChars(c.logo().get()));
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static void programme(XMLStreamWriter xml, Lineup.Entry e, Instant start, Instant stop)
            throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("programme");
        xml.writeAttribute("start", TIME.format(start));
        xml.writeAttribute("stop", TIME.format(stop));
        xml.writeAttribute("channel", e.guideId());
        text(xml, "title", e.channel().name());
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static void text(XMLStreamWriter xml, String element, String value) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeStartElement(element);
        xml.writeCharacters(xmlChars(value));
        xml.writeEndElement();
    }

    /** {@code value} without the control characters XML 1.0 cannot hold (a name may come from anywhere). */
    static String xmlChars(String value) {
        return value.codePoints().filter(c -> c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                .filter(c -> c < 0xFFFE)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
