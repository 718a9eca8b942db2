using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Hal.Esp32;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Esp32.Tests;

/// <summary>
/// The ESP32 build's counter (<see cref="Esp32NoOffTimeClock"/>) never knows how long the board was off, so
/// every boot after the first takes PROTOCOL.md's unknown-off-time path: <c>!BOOT ... offtime=UNKNOWN</c>, the
/// timeline resumes from the last persisted instant (never earlier), delivery resumes at once by the clock as
/// it stands, and <c>TIME?</c> says <c>set=NO</c> until the next <c>TIME</c>.
/// </summary>
public class NoOffTimeClockBootTests
{
    private const long Unix = 1_767_225_600;

    private sealed class Board
    {
        public readonly VirtualClock Clock = new(ClockMode.Manual);
        public readonly SimSerialLink Link = new();
        public readonly PumpApplication App;
        private readonly System.Text.StringBuilder _received = new();

        public Board(MemoryRecordStore store, out JournalOpenResult restored)
        {
            var driver = new SimMotorDriver(Clock);
            var plant = new PumpPlant(driver, 64000);
            var hardware = new PumpHardware
            {
                Serial = Link,
                Clock = Clock,
                OffTimeClock = new Esp32NoOffTimeClock(),
                Driver = driver,
                Steps = new VirtualStepGenerator(Clock, plant, 1000, 64),
                Feedback = plant,
                Occlusion = new SimDigitalInput(),
                LowBattery = new SimDigitalInput(),
                Buzzer = new SimBuzzer(Clock),
                Watchdog = new SimWatchdog(Clock, Esp32Settings.WatchdogTimeoutMicros),
                MaxStepsPerSecond = 1000,
            };
            App = new PumpApplication(hardware, new DeviceIdentity("PumpFirmware", "PF-ESP32", "SIM", "1.0.0"));
            var persistence = new PumpPersistence(store, App);
            restored = persistence.Restore();
            App.SetPersistence(persistence);
            App.Boot(ResetCause.Power, restored == JournalOpenResult.Restored ? persistence.UnpersistedBoundSteps : 0);
        }

        public List<string> Take()
        {
            var buffer = new byte[4096];
            int n;
            while ((n = Link.HostRead(buffer, 0, buffer.Length)) > 0) _received.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
            string text = _received.ToString();
            int last = text.LastIndexOf('\n');
            if (last < 0) return new List<string>();
            _received.Remove(0, last + 1);
            return text[..last].Split('\n').ToList();
        }

        public string Status(string line)
        {
            Link.HostWrite(System.Text.Encoding.ASCII.GetBytes(line + "\n"));
            App.Poll();
            return Take().Last(l => !l.StartsWith('!'));
        }

        public void Run(long seconds)
        {
            long end = Clock.NowMicros + seconds * 1_000_000;
            while (true)
            {
                long next = App.NextWakeMicros;
                if (next > end) break;
                if (next > Clock.NowMicros) Clock.AdvanceTo(next);
                App.Service();
            }
            Clock.AdvanceTo(end);
            App.Service();
            Take();
        }
    }

    private static long Field(string line, string key)
    {
        string value = line.Split(' ').First(w => w.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        return long.Parse(value.Replace(".", ""));
    }

    [Fact]
    public void A_reset_of_the_board_without_a_battery_backed_clock_resumes_at_once_and_says_the_off_time_is_unknown()
    {
        var store = new MemoryRecordStore();
        var first = new Board(store, out var fresh);
        Assert.Equal(JournalOpenResult.Empty, fresh);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=STOPPED", first.Take()[0]); // a fresh pump: nothing to be off from
        foreach (string line in new[] { "AUTH 0000", "TIME " + Unix, "PROG:DRUG baclofen 500", "PROG:LIMIT 1000", "PROG:STEP 00:00 960" })
            Assert.StartsWith("OK", first.Status(line));
        Assert.StartsWith("OK", first.Status("PROG:COMMIT " + first.Status("PROG:REVIEW").Substring(7, 4)));
        Assert.StartsWith("OK", first.Status("REFILL 20000"));
        Assert.StartsWith("OK", first.Status("START"));
        first.Run(3600);
        long unixBefore = Field(first.Status("STATUS?"), "unix_s");
        long stepsBefore = Field(first.Status("STATUS?"), "steps");

        var second = new Board(store, out var restored); // a power cycle of unknown length
        Assert.Equal(JournalOpenResult.Restored, restored);
        Assert.Equal("!BOOT fw=1.0.0 reset=POWER state=RUNNING offtime=UNKNOWN", second.Take()[0]);
        Assert.EndsWith(" set=NO", second.Status("TIME?"));
        string status = second.Status("STATUS?");
        Assert.InRange(Field(status, "unix_s"), unixBefore - 60, unixBefore); // the last persisted instant, not earlier
        second.Run(60);
        Assert.True(Field(second.Status("STATUS?"), "steps") > stepsBefore, "delivery resumed at once");
        Assert.StartsWith("OK", second.Status("AUTH 0000"));
        Assert.Equal("OK", second.Status("TIME " + (Unix + 7200)));
        Assert.EndsWith(" set=YES", second.Status("TIME?"));
    }
}
