using PumpFirmware.Hal;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>Framing, identity, auth, telemetry and log: the protocol parts above the therapy core.</summary>
public class ProcessorBasicsTests
{
    private static string WithCrc(string line) => line + "*" + Crc16.ToHex(Crc16.Compute(line));

    [Fact]
    public void The_first_line_after_start_is_BOOT()
    {
        var device = new TestDevice(boot: false);
        device.App.Boot(ResetCause.Watchdog, 0);
        Assert.Equal(new[] { "!BOOT fw=1.0.0 reset=WATCHDOG state=STOPPED" }, device.Link.TakeLines());
    }

    [Fact]
    public void Identity()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal("OK vendor=OpenPump model=PF-1 serial=SN0001 fw=1.0.0 proto=1", device.Status("*IDN?"));
        Assert.Equal("OK vendor=OpenPump model=PF-1 serial=SN0001 fw=1.0.0 proto=1", device.Status("*idn?"));
    }

    [Theory]
    [InlineData("FOO", "ERR 400 unknown command")]
    [InlineData("SIM:ADVANCE 10", "ERR 400 unknown command")]   // the ESP32 has no SIM: commands
    [InlineData("*IDN? extra", "ERR 400 wrong number of arguments: *IDN?")]
    [InlineData("START", "ERR 403 auth required")]              // 403 before argument checks
    [InlineData("START now", "ERR 403 auth required")]
    [InlineData("TEL 5000", "ERR 422 period_s=5000 out of range 0..3600")]
    [InlineData("TEL 1.5", "ERR 400 malformed count: period_s (digits only)")]
    [InlineData("LOG? 1 101", "ERR 422 count=101 out of range 0..100")]
    [InlineData("LOG? -1 10", "ERR 400 malformed count: from_seq (digits only)")]
    [InlineData("CRC MAYBE", "ERR 400 malformed argument (ON or OFF)")]
    [InlineData("AUTH 12", "ERR 400 malformed pin (4 to 8 digits)")]
    public void Errors_follow_the_order_of_checks(string request, string expected)
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal(expected, device.Status(request));
    }

    [Fact]
    public void A_request_with_a_good_crc_gets_a_status_line_with_one()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal(WithCrc("OK unix_s=0 set=NO"), device.Status(WithCrc("TIME?")));
        Assert.Equal(WithCrc("ERR 401 checksum mismatch"), device.Status("TIME?*0000"));
    }

    [Fact]
    public void CRC_ON_puts_a_crc_on_every_line_and_refuses_requests_without_one()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal(WithCrc("OK"), device.Status("CRC ON"));
        Assert.Equal(WithCrc("ERR 401 checksum required"), device.Status("TIME?"));
        Assert.Equal(WithCrc("ERR 401 checksum required"), device.Status("CRC OFF"));
        Assert.Equal(WithCrc("OK"), device.Status(WithCrc("CRC OFF")));
        Assert.Equal("OK unix_s=0 set=NO", device.Status("TIME?"));
    }

    [Fact]
    public void Long_lines_get_one_error_and_are_discarded()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal(new[] { "ERR 400 line too long" }, device.Send(new string('A', 500)));
        Assert.Equal(new[] { "OK unix_s=0 set=NO" }, device.Send("TIME?"));
    }

    [Fact]
    public void Auth_wrong_pins_lock_and_are_logged()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        for (int left = 4; left >= 0; left--)
        {
            Assert.Equal($"ERR 403 wrong pin attempts_left={left}", device.Status("AUTH 1234"));
        }
        Assert.Equal("ERR 429 pin locked for_s=900", device.Status("AUTH 0000"));
        device.Advance(899.5);
        Assert.Equal("ERR 429 pin locked for_s=1", device.Status("AUTH 0000"));
        device.Advance(0.5);
        Assert.Equal("OK session_s=600", device.Status("AUTH 0000"));
        var log = device.Send("LOG? 0 100");
        Assert.Equal(7, log.Count(l => l.Contains("type=AUTH_FAIL"))); // 5 wrong, 2 while locked
    }

    [Fact]
    public void A_session_ends_after_600_s_without_a_request()
    {
        var device = new TestDevice();
        device.Status("AUTH 0000");
        device.Advance(599);
        Assert.Equal("ERR 400 wrong number of arguments: LOGOUT", device.Status("LOGOUT x"));
        device.Advance(600);
        Assert.Equal("ERR 403 auth required", device.Status("LOGOUT"));
    }

    [Fact]
    public void Telemetry_every_period_with_seq_from_1()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.Equal("OK", device.Status("TEL 2"));
        var lines = device.Advance(6);
        Assert.Equal(3, lines.Count);
        Assert.Equal("!TEL seq=1 t_ms=2000 unix_s=0 state=STOPPED delivered_ul=0.000 steps=0 reservoir_ul=0.000 rate_ul_day=0.000 alarms=NONE", lines[0]);
        Assert.StartsWith("!TEL seq=3 t_ms=6000 ", lines[2]);
        Assert.Equal("OK", device.Status("TEL 0"));
        Assert.Empty(device.Advance(60));
    }

    [Fact]
    public void Status_shows_pin_default_until_the_pin_changes()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        Assert.EndsWith(" pin_default=YES", device.Status("STATUS?"));
        device.Status("AUTH 0000");
        Assert.Equal("OK", device.Status("PIN 4321"));
        Assert.DoesNotContain("pin_default", device.Status("STATUS?"));
    }

    [Fact]
    public void Log_returns_records_then_next_seq()
    {
        var device = new TestDevice();
        device.Link.TakeLines();
        var lines = device.Send("LOG? 0 10");
        Assert.Equal("!LOG seq=1 t_ms=0 unix_s=0 type=BOOT reset=POWER state=STOPPED lost_steps=0", lines[0]);
        Assert.Equal("OK next_seq=2", lines[^1]);
        Assert.Equal(new[] { "OK next_seq=2" }, device.Send("LOG? 2 10"));
    }
}
