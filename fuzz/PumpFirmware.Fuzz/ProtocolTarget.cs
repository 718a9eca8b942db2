using PumpFirmware.Fakes;
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Storage;

namespace PumpFirmware.Fuzz;

/// <summary>
/// One fuzz input through the firmware's serial path: a fresh PumpApplication on deterministic
/// fakes (a clock moved only here), the bytes fed in chunks to <see cref="PumpApplication.Poll"/>
/// (LineAssembler then CommandProcessor), virtual time passing between chunks.
///
/// Input layout: byte 0 is a flags byte, the rest is the serial stream.
///   bit 0     start from a RUNNING pump (program committed, session open, an edit staged) instead of factory state
///   bits 1-2  virtual time after each chunk: 1 ms, 1 s, 60 s, 900 s (at most <see cref="MaxVirtualMicros"/> in all)
///   bits 3-5  chunk size: 1, 3, 16, 64, 200, 1024, 4096 bytes, or everything at once
///
/// A crash is any exception escaping, or a broken invariant (<see cref="InvariantViolation"/>):
///   - every output line starts with OK, "ERR " or '!', and ERR 500 (a firmware exception the
///     processor caught) never appears; CommandProcessor.Failures stays 0;
///   - every line (ended by LF, CR or CR LF) that is neither empty nor blank gets exactly one
///     status line, and a line over 200 characters exactly one ERR as its 201st character
///     arrives (PROTOCOL.md framing, <see cref="FramingModel"/>), counted per chunk;
///   - the output is whole lines;
///   - the reservoir never goes negative; drug steps never leave the rolling 24 h window above the limit;
///   - at the end, the persistent image reloads into a new application and saves back byte-identical
///     (after the header that Boot applies).
/// </summary>
public static class ProtocolTarget
{
    /// <summary>Total virtual time one input may advance, µs (keeps one execution short).</summary>
    public const long MaxVirtualMicros = 2L * 86_400_000_000L;

    private static readonly long[] TimeSteps = { 1_000, 1_000_000, 60_000_000, 900_000_000 };
    private static readonly int[] ChunkSizes = { 1, 3, 16, 64, 200, 1024, 4096, int.MaxValue };

    /// <summary>Lines that bring a factory pump to RUNNING with a session and a staged edit.</summary>
    private static readonly string[] RunningSetup =
    {
        "AUTH 0000", "TIME 1700000000", "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 200",
        "PROG:STEP 00:00 100", "PROG:STEP 08:00 150", "PROG:PTM 10 5 60 4", "PROG:CATHETER 150",
    };

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length == 0) return;
        int flags = input[0];
        byte[] stream = input.Slice(1).ToArray();
        var device = new Device();
        if ((flags & 1) != 0) device.MakeRunning();
        long timeStep = TimeSteps[(flags >> 1) & 3];
        int chunkSize = ChunkSizes[(flags >> 3) & 7];

        long virtualLeft = MaxVirtualMicros;
        var framing = new FramingModel();
        int position = 0;
        while (position < stream.Length)
        {
            int n = Math.Min(chunkSize, stream.Length - position);
            int expected = 0;
            for (int i = position; i < position + n; i++) expected += framing.Push(stream[i]);
            device.Link.Feed(stream, position, n);
            position += n;
            while (device.Link.Pending > 0) device.Call(poll: true);
            int status = CheckLines(device);
            if (status != expected)
                throw new InvariantViolation("chunk ending at byte " + position + ": " + expected + " request lines got " + status + " status lines");
            long dt = Math.Min(timeStep, virtualLeft);
            virtualLeft -= dt;
            device.Advance(dt);
            if (CheckLines(device) != 0) throw new InvariantViolation("a status line while only time passed");
        }
        if (device.App.Processor.Failures != 0) throw new InvariantViolation("CommandProcessor.Failures = " + device.App.Processor.Failures);
        CheckReload(device.App);
    }

    /// <summary>Checks the lines written since the last call; returns how many were status lines.</summary>
    private static int CheckLines(Device device)
    {
        int status = 0;
        foreach (string line in device.Link.TakeLines())
        {
            if (line.StartsWith('!')) continue;
            if (line.StartsWith("ERR 500")) throw new InvariantViolation("internal fault: " + line);
            if (!line.StartsWith("OK") && !line.StartsWith("ERR ")) throw new InvariantViolation("not a status line: " + line);
            status++;
        }
        return status;
    }

    private static void CheckReload(PumpApplication app)
    {
        byte[] first = Save(app);
        var copy = new Device(boot: false);
        if (!copy.App.LoadState(new StateReader(first, 0, first.Length))) throw new InvariantViolation("saved state does not load");
        byte[] second = Save(copy.App);
        // The header (format version, timeline, off-time clock, program CRC seen: 25 bytes) is
        // applied at Boot, not at LoadState, so an unbooted copy writes its own; compare the rest
        // (therapy controller and PIN/auth), which LoadState restores.
        const int header = 4 + 8 + 1 + 8 + 4;
        if (!first.AsSpan(header).SequenceEqual(second.AsSpan(header)))
        {
            int at = header;
            while (at < first.Length && at < second.Length && first[at] == second[at]) at++;
            throw new InvariantViolation("saved state reloads differently from byte " + at + " (" + first.Length + " vs " + second.Length + " bytes)");
        }
    }

    private static byte[] Save(PumpApplication app)
    {
        var buffer = new byte[PumpApplication.MaxStateBytes];
        var writer = new StateWriter(buffer);
        app.SaveState(writer);
        if (writer.Overflow) throw new InvariantViolation("state image overflows MaxStateBytes");
        return buffer.AsSpan(0, writer.Position).ToArray();
    }

    /// <summary>PROTOCOL.md's framing, written from the spec (not from LineAssembler): how many
    /// status lines a byte is owed. A line ends at LF, at CR, or at CR LF (the pair ends one line);
    /// an empty line, or one of only spaces and tabs, gets nothing; a line longer than 200 characters
    /// gets one ERR 400 as soon as its 201st character arrives and is discarded up to its end.</summary>
    private sealed class FramingModel
    {
        private int _length;
        private bool _blank = true;
        private bool _afterCr;
        private bool _discarding;

        public int Push(byte b)
        {
            bool pairedLf = b == (byte)'\n' && _afterCr;
            _afterCr = b == (byte)'\r';
            if (pairedLf) return 0;
            if (b == (byte)'\n' || b == (byte)'\r')
            {
                bool owed = !_discarding && !_blank;
                _length = 0;
                _blank = true;
                _discarding = false;
                return owed ? 1 : 0;
            }
            if (_discarding) return 0;
            _length++;
            if (b != (byte)' ' && b != (byte)'\t') _blank = false;
            if (_length <= 200) return 0;
            _discarding = true;
            return 1;
        }
    }

    private sealed class Device
    {
        public readonly FuzzLink Link = new();
        public readonly ManualClock Clock = new();
        public readonly PumpApplication App;

        public Device(bool boot = true)
        {
            var steps = new InstantSteps();
            App = new PumpApplication(new PumpHardware
            {
                Serial = Link, Clock = Clock, OffTimeClock = new FuzzOffClock(), Driver = new InstantDriver(),
                Steps = steps, Feedback = steps, Occlusion = new FuzzInput(), LowBattery = new FuzzInput(),
                Buzzer = new SilentBuzzer(), Watchdog = new NullWatchdog(), MaxStepsPerSecond = 1000,
            }, new DeviceIdentity("OpenPump", "PF-1", "SN0001", "1.0.0"));
            if (boot) App.Boot(ResetCause.Power, 0);
        }

        public void MakeRunning()
        {
            foreach (string line in RunningSetup) Expect(line, "OK");
            string review = Send("PROG:REVIEW");
            Expect("PROG:COMMIT " + review.Substring("OK crc=".Length, 4), "OK");
            Expect("REFILL 20000", "OK");
            Expect("START", "OK");
            Advance(3_600_000_000);
            Expect("AUTH 0000", "OK");
            Expect("PROG:DRUG morphine 1000", "OK");
            Link.TakeLines();
        }

        private void Expect(string line, string prefix)
        {
            string status = Send(line);
            if (!status.StartsWith(prefix)) throw new InvalidOperationException("setup: '" + line + "' answered " + status);
        }

        private string Send(string line)
        {
            byte[] bytes = System.Text.Encoding.ASCII.GetBytes(line + "\n");
            Link.Feed(bytes, 0, bytes.Length);
            App.Poll();
            string? status = null;
            foreach (string l in Link.TakeLines()) if (!l.StartsWith('!')) status = l;
            return status ?? "";
        }

        /// <summary>Moves the clock by <paramref name="micros"/>, servicing every wake-up on the way.</summary>
        public void Advance(long micros)
        {
            long target = Clock.NowMicros + micros;
            while (true)
            {
                long next = App.NextWakeMicros;
                if (next > target) break;
                if (next > Clock.NowMicros) Clock.NowMicros = next;
                Call(poll: false);
            }
            Clock.NowMicros = target;
            Call(poll: false);
        }

        /// <summary>One Poll or Service, then the therapy invariants: the reservoir never goes
        /// negative, and a call that delivered drug (steps other than PRIME, which the 24 h window
        /// does not count) leaves the rolling 24 h window within the active program's limit.</summary>
        public void Call(bool poll)
        {
            var c = App.Controller;
            long stepsBefore = c.TotalSteps;
            bool primeBefore = c.ActiveBolus == Therapy.BolusKind.Prime;
            if (poll) App.Poll(); else App.Service();
            if (c.ReservoirNl < 0) throw new InvariantViolation("reservoir_nl " + c.ReservoirNl);
            if (c.TotalSteps > stepsBefore && !primeBefore && c.ActiveBolus != Therapy.BolusKind.Prime && c.HasProgram)
            {
                long now = App.NowMicros;
                long window = c.WindowNg(now);
                if (window > c.ActiveProgram.LimitNgPerDay)
                    throw new InvariantViolation("24 h window " + window + " ng above the limit " + c.ActiveProgram.LimitNgPerDay + " ng after steps");
            }
        }
    }
}
