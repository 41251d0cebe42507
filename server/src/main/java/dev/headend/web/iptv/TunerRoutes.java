package dev.headend.web.iptv;

import dev.headend.channel.Channel;
import dev.headend.channel.OutputProfile;
import dev.headend.stream.StreamManager;
import dev.headend.web.ApiException;
import dev.headend.web.Exchange;
import dev.headend.web.Http;
import dev.headend.web.Route;
import dev.headend.web.RouteGroup;
import dev.headend.web.live.ContinuousTsRoutes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An emulated HDHomeRun network tuner, as Plex, Jellyfin, Emby and Channels DVR find one by its
 * address: {@code /discover.json}, {@code /lineup.json}, {@code /lineup_status.json}, the UPnP
 * description {@code /device.xml}, and tuning by guide number, {@code /auto/v{number}}, which
 * answers the channel's continuous TS itself (some clients do not follow redirects). Each is also
 * under {@code /s/{token}/} (see {@link OutputLinks}); stream URLs never carry a query string.
 * The JSON keys are HDHomeRun's (PascalCase), not this server's snake_case.
 */
public final class TunerRoutes implements RouteGroup {
    private static final String MODEL = "HDTC-2US";
    private static final String FIRMWARE = "hdhomeruntc_atsc";
    private static final String FIRMWARE_VERSION = "20200101";
    private static final int HD_HEIGHT = 720;

    private final StreamManager streams;
    private final OutputLinks links;
    private final ContinuousTsRoutes ts;
    private final DeviceId deviceId;
    private final UUID udn;
    private final int tunerCount;

    /**
     * @param installId this install's id ({@link InstallId})
     * @param tunerCount the tuners announced: the process cap, as each tuned channel runs one pipeline
     */
    public TunerRoutes(StreamManager streams, OutputLinks links, ContinuousTsRoutes ts, String installId,
            int tunerCount) {
        this.streams = streams;
        this.links = links;
        this.ts = ts;
        this.deviceId = DeviceId.of(installId);
        this.udn = InstallId.udn(installId);
        this.tunerCount = tunerCount;
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(links.routes("/discover.json", this::discover));
        routes.addAll(links.routes("/lineup.json", this::lineup));
        routes.addAll(links.routes("/lineup_status.json", this::status));
        routes.addAll(links.routes("/device.xml", this::device));
        routes.addAll(links.routes("/auto/{tuning}", this::tune));
        return routes;
    }

    private void discover(Exchange ex) {
        String base = links.base(ex);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("FriendlyName", "Headend");
        body.put("Manufacturer", "Headend");
        body.put("ModelNumber", MODEL);
        body.put("FirmwareName", FIRMWARE);
        body.put("FirmwareVersion", FIRMWARE_VERSION);
        body.put("DeviceID", deviceId.hex());
        body.put("DeviceAuth", udn.toString().replace("-", ""));
        body.put("BaseURL", base);
        body.put("LineupURL", base + "/lineup.json");
        body.put("TunerCount", tunerCount);
        ex.json(200, body);
    }

    private void lineup(Exchange ex) {
        String base = links.base(ex);
        List<Map<String, Object>> lineup = new ArrayList<>();
        for (Lineup.Entry e : Lineup.of(streams.channels().all()).entries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("GuideNumber", Integer.toString(e.number()));
            entry.put("GuideName", e.channel().name());
            entry.put("URL", base + "/auto/v" + e.number());
            entry.put("HD", hd(e.channel()) ? 1 : 0);
            lineup.add(entry);
        }
        ex.json(200, lineup);
    }

    private void status(Exchange ex) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ScanInProgress", 0);
        body.put("ScanPossible", 1);
        body.put("Source", "Cable");
        body.put("SourceList", List.of("Cable"));
        ex.json(200, body);
    }

    private void device(Exchange ex) {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <root xmlns="urn:schemas-upnp-org:device-1-0">
                  <specVersion><major>1</major><minor>0</minor></specVersion>
                  <URLBase>%s</URLBase>
                  <device>
                    <deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>
                    <friendlyName>Headend</friendlyName>
                    <manufacturer>Headend</manufacturer>
                    <modelName>%s</modelName>
                    <modelNumber>%s</modelNumber>
                    <serialNumber>%s</serialNumber>
                    <UDN>uuid:%s</UDN>
                  </device>
                </root>
                """.formatted(escape(links.base(ex)), MODEL, MODEL, deviceId.hex(), udn);
        ex.text(200, "application/xml; charset=utf-8", "no-store", xml.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code v{number}}: the continuous TS of the channel with that guide number. */
    private void tune(Exchange ex) throws InterruptedException {
        String tuning = ex.param("tuning");
        if (!tuning.matches("v[0-9]{1,9}")) {
            throw new ApiException(400, "invalid_tuning", "tune a channel with /auto/v{number}, not /auto/"
                    + Http.printable(tuning));
        }
        int number = Integer.parseInt(tuning.substring(1));
        Lineup.Entry entry = Lineup.of(streams.channels().all()).byNumber(number).orElseThrow(
                () -> new ApiException(404, "channel_not_found", "no channel with guide number " + number));
        ts.serve(ex, entry.channel().id());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** HD unless the channel is transcoded below {@value #HD_HEIGHT} lines (a copied source is taken as HD). */
    private static boolean hd(Channel channel) {
        return switch (channel.profile()) {
            case OutputProfile.Copy c -> true;
            case OutputProfile.H264 h -> h.height().orElse(HD_HEIGHT) >= HD_HEIGHT;
        };
    }
}
