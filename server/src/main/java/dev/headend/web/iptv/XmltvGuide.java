package dev.headend.web.iptv;

import dev.headend.channel.Channel;
import dev.headend.channel.ChannelGuide;
import dev.headend.channel.GuideProgramme;
import dev.headend.channel.GuideSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The XMLTV guide, valid against the XMLTV DTD: one {@code <channel>} per channel (id equal to
 * the M3U {@code tvg-id}; display names "number name", "name" and "number"; icon), then for each
 * channel its programmes from the start of the current hour until at least {@link
 * GuideSettings#ahead()} from now: the airings of its {@code guide:} section (title,
 * description, category), and placeholder programmes named after the channel, one per clock
 * hour, wherever it has none, so that clients always show something. Times are in the channel's
 * guide time zone with their explicit offset ({@code 20260329200000 +0200}). Text is escaped by
 * the XML writer.
 */
final class XmltvGuide {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss Z");
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    /** A programme as the guide shows it. */
    private record Block(String title, Optional<String> description, Optional<String> category, Instant start,
            Instant stop) {}

    private XmltvGuide() {}

    /** The guide at wall-clock time {@code now}, UTF-8. */
    static byte[] render(Lineup lineup, Instant now, GuideSettings settings) {
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
            for (Lineup.Entry e : lineup.entries()) {
                ZoneId zone = e.channel().guide().flatMap(ChannelGuide::timeZone).orElse(settings.timeZone());
                for (Block b : blocks(e.channel(), now, settings, zone)) {
                    programme(xml, e, b, zone);
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

    /** The channel's airings overlapping the guide's span, and placeholders filling the gaps between them. */
    private static List<Block> blocks(Channel c, Instant now, GuideSettings settings, ZoneId zone) {
        Instant first = now.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
        Instant end = now.plus(settings.ahead());
        List<ChannelGuide.Airing> airings = c.guide().map(g -> g.airings(first, end, settings.timeZone()))
                .orElse(List.of());
        List<Block> blocks = new ArrayList<>();
        Instant covered = first;
        for (ChannelGuide.Airing a : airings) {
            placeholders(blocks, c, covered, a.start(), zone);
            GuideProgramme p = a.programme();
            blocks.add(new Block(p.title(), p.description(), p.category(), a.start(), a.stop()));
            covered = a.stop().isAfter(covered) ? a.stop() : covered;
        }
        Instant lastHour = end.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
        placeholders(blocks, c, covered, lastHour.equals(end) ? end : nextHour(lastHour, zone), zone);
        return blocks;
    }

    /** Placeholders from {@code from} to {@code to}, cut at clock hours of {@code zone}. */
    private static void placeholders(List<Block> blocks, Channel c, Instant from, Instant to, ZoneId zone) {
        Instant start = from;
        while (start.isBefore(to)) {
            Instant next = nextHour(start, zone);
            Instant stop = next.isBefore(to) ? next : to;
            blocks.add(new Block(c.name(), Optional.empty(), Optional.empty(), start, stop));
            start = stop;
        }
    }

    private static Instant nextHour(Instant t, ZoneId zone) {
        return t.atZone(zone).truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant();
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

    /** A {@code <programme>}: title, then description and category (the DTD's order). */
    private static void programme(XMLStreamWriter xml, Lineup.Entry e, Block b, ZoneId zone)
            throws XMLStreamException {
        DateTimeFormatter time = TIME.withZone(zone);
        xml.writeCharacters("\n  ");
        xml.writeStartElement("programme");
        xml.writeAttribute("start", time.format(b.start()));
        xml.writeAttribute("stop", time.format(b.stop()));
        xml.writeAttribute("channel", e.guideId());
        text(xml, "title", b.title());
        if (b.description().isPresent()) {
            text(xml, "desc", b.description().get());
        }
        if (b.category().isPresent()) {
            text(xml, "category", b.category().get());
        }
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
