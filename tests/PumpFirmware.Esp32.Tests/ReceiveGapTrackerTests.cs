using System.Text;
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Esp32.Logic;
using PumpFirmware.Hal.Simulated;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>ESP32 receive overrun (PROTOCOL.md: an overrun that tears a line is answered ERR 400 input overrun, never
/// spliced). nanoFramework's SerialPort says nothing when its 256-byte receive ring is full; what the link can see is
/// the ring at capacity when it reads, so reads stop right after the bytes waiting then, and say a gap may follow.</summary>
public class ReceiveGapTrackerTests
{
    [Fact]
    public void A_buffer_below_capacity_means_nothing_was_lost()
    {
        var gaps = new ReceiveGapTracker(256);
        Assert.Equal(64, gaps.Plan(255, 64));
        gaps.Consumed(64);
        Assert.False(gaps.GapAfterLastRead);
    }

    [Fact]
    public void A_full_buffer_puts_the_gap_after_the_bytes_waiting_and_reads_stop_there()
    {
        var gaps = new ReceiveGapTracker(256);
        int read = 0;
        for (int i = 0; i < 3; i++)
        {
            int n = gaps.Plan(256 - read, 64);                       // nothing more can arrive: the ring is full
            Assert.Equal(64, n);
            gaps.Consumed(n);
            read += n;
            Assert.False(gaps.GapAfterLastRead);
        }
        // 64 bytes left before the gap; meanwhile 100 new bytes arrived behind them.
        Assert.Equal(64, gaps.Plan(64 + 100, 200));
        gaps.Consumed(64);
        Assert.True(gaps.GapAfterLastRead);
        Assert.Equal(100, gaps.Plan(100, 200));                      // after the gap: no limit
        gaps.Consumed(100);
        Assert.False(gaps.GapAfterLastRead);
    }

    /// <summary>The ESP32's receive path modelled on the host: a 256-byte ring that keeps what fits (as the native
    /// driver's does) in front of the real PumpApplication, through a link that uses ReceiveGapTracker like
    /// Esp32UartLink.</summary>
    private sealed class UartModel : ISerialLink, ISerialInputLoss
    {
        private readonly Queue<byte> _ring = new();
        private readonly ReceiveGapTracker _gaps = new(256);
        public readonly List<byte> Sent = new();
        public void Arrive(string text)
        {
            foreach (byte b in Encoding.ASCII.GetBytes(text)) if (_ring.Count < 256) _ring.Enqueue(b);
        }
        public int Read(byte[] buffer, int offset, int count)
        {
            int n = _gaps.Plan(_ring.Count, count);
            for (int i = 0; i < n; i++) buffer[offset + i] = _ring.Dequeue();
            _gaps.Consumed(n);
            return n;
        }
        public bool InputLostAfterLastRead => _gaps.GapAfterLastRead;
        public void Write(byte[] buffer, int offset, int count) => Sent.AddRange(buffer.AsSpan(offset, count).ToArray());
    }

    [Fact]
    public void A_burst_that_overruns_the_ring_gets_input_overrun_for_the_torn_line_never_a_spliced_request()
    {
        var uart = new UartModel();
        var clock = new VirtualClock(ClockMode.Manual);
        var driver = new SimMotorDriver(clock);
        var plant = new PumpPlant(driver, 64000);
        var hardware = new PumpHardware
        {
            Serial = uart,
            Clock = clock,
            OffTimeClock = new VirtualOffTimeClock(clock),
            Driver = driver,
            Steps = new VirtualStepGenerator(clock, plant, minIntervalMicros: 1000, maxBlockSteps: 1000),
            Feedback = plant,
            Occlusion = new SimDigitalInput(),
            LowBattery = new SimDigitalInput(),
            Buzzer = new SimBuzzer(clock),
            Watchdog = new SimWatchdog(clock, Esp32Settings.WatchdogTimeoutMicros),
            MaxStepsPerSecond = 1000,
        };
        var app = new PumpApplication(hardware, new DeviceIdentity("v", "m", "s", "f"));
        app.Boot(ResetCause.Power, 0);
        uart.Sent.Clear();
        // 40 x "STATUS?\n" (320 bytes) arrive while the main loop sleeps: the ring keeps 256 (32 whole lines),
        // the rest is lost. Then, after the loop has read, "*IDN?\n".
        for (int i = 0; i < 40; i++) uart.Arrive("STATUS?\n");
        uart.Arrive("STOP\n");                                        // lost too: the ring is full
        app.Poll();
        uart.Arrive("US?\n*IDN?\n");                                  // the tail of a lost line, then a whole one
        app.Poll();
        var lines = Encoding.ASCII.GetString(uart.Sent.ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal(34, lines.Length);
        Assert.All(lines[..32], l => Assert.StartsWith("OK state=STOPPED", l));
        Assert.Equal("ERR 400 input overrun", lines[32]);             // "US?" is not run as a request
        Assert.StartsWith("OK vendor=", lines[33]);
    }
}
