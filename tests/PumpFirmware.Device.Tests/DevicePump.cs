// A pump for the device tests: the firmware's PumpApplication on the replay's in-memory fakes
// (tools/NanoReplay/src, linked in), driven by request lines as a host would drive it over the
// UART. Only mscorlib-level code runs, so these tests pass on the nanoCLR emulator (whose GPIO,
// serial and PWM natives are stubs) as on a board.
using System;
using PumpFirmware.Hal;
using PumpFirmware.Replay;
using PumpFirmware.Storage;

namespace PumpFirmware.Device.Tests
{
    /// <summary>A pump driven by request lines, with a hand-moved clock.</summary>
    public sealed class DevicePump : IReplayOutput
    {
        /// <summary>2026-01-01 00:00:00 UTC: a midnight, so times of day are easy to read.</summary>
        public const long Midnight = 1767225600;

        private string _lines = "";

        /// <summary>The device (replaced by <see cref="PowerCut"/>).</summary>
        public ReplayDevice Device;

        /// <summary>A fresh pump, booted; journalled on a memory store when <paramref name="journal"/>.</summary>
        public DevicePump(bool journal)
        {
            Device = new ReplayDevice(ReplayDevice.FactoryOffClockSeconds, journal ? new MemoryRecordStore() : null);
            Device.Boot(ResetCause.Power);
            Take();
        }

        /// <summary>A fresh pump without storage.</summary>
        public DevicePump() : this(false)
        {
        }

        /// <inheritdoc/>
        public void Line(string text)
        {
            _lines = _lines + text + "\n";
        }

        /// <summary>Every line sent since the last call, each ended by LF.</summary>
        public string Take()
        {
            Device.Link.TakeLines(this, "");
            string lines = _lines;
            _lines = "";
            return lines;
        }

        /// <summary>Written in a request for a NUL byte: a nanoFramework string cannot hold NUL
        /// (the runtime ends the string there), so requests spell it and the pump gets the byte.</summary>
        public const string Nul = "{NUL}";

        /// <summary>Sends a request (LF appended; <see cref="Nul"/> sent as a 0 byte) and returns
        /// every line answered (LF-separated).</summary>
        public string SendAll(string request)
        {
            byte[] bytes = new byte[request.Length + 1];
            int n = 0;
            for (int i = 0; i < request.Length; i++)
            {
                if (request[i] == '{' && i + Nul.Length <= request.Length && request.Substring(i, Nul.Length) == Nul)
                {
                    bytes[n++] = 0;
                    i += Nul.Length - 1;
                }
                else
                {
                    bytes[n++] = (byte)request[i];
                }
            }
            bytes[n++] = (byte)'\n';
            Device.Link.Receive(bytes, n);
            Device.App.Poll();
            return Take();
        }

        /// <summary>Sends a request and returns its one status line (OK or ERR); throws unless
        /// there is exactly one.</summary>
        public string Send(string request)
        {
            string all = SendAll(request);
            string status = null;
            int start = 0;
            while (start < all.Length)
            {
                int end = all.IndexOf('\n', start);
                string line = all.Substring(start, end - start);
                start = end + 1;
                if (line.Length > 0 && line[0] == '!') continue;
                if (status != null) throw new Exception("'" + request + "' got two status lines: " + all);
                status = line;
            }
            if (status == null) throw new Exception("'" + request + "' got no status line: " + all);
            return status;
        }

        /// <summary>Sends a request that must be answered OK; returns the answer.</summary>
        public string Ok(string request)
        {
            string status = Send(request);
            if (!status.StartsWith("OK")) throw new Exception("'" + request + "' answered " + status);
            return status;
        }

        /// <summary>Lets <paramref name="seconds"/> pass; returns the `!` lines sent meanwhile.</summary>
        public string Advance(long seconds)
        {
            Device.Advance(seconds * 1000000L);
            return Take();
        }

        /// <summary>Cuts the power (nothing saved on the way down) and boots on what the journal
        /// committed after <paramref name="offSeconds"/> off; returns the boot lines.</summary>
        public string PowerCut(long offSeconds)
        {
            Device = Device.PowerCut(offSeconds);
            return Take();
        }

        /// <summary>A STATUS? field.</summary>
        public string Status(string key)
        {
            return Field(Send("STATUS?"), key);
        }

        /// <summary>Steps commanded since the first start (STATUS? steps).</summary>
        public long Steps
        {
            get { return long.Parse(Status("steps")); }
        }

        /// <summary>The value of <c>key=</c> in <paramref name="line"/>; throws when absent.</summary>
        public static string Field(string line, string key)
        {
            string find = " " + key + "=";
            int at = line.IndexOf(find);
            if (at < 0) throw new Exception("no " + key + "= in " + line);
            int from = at + find.Length;
            int end = line.IndexOf(' ', from);
            return end < 0 ? line.Substring(from) : line.Substring(from, end - from);
        }

        /// <summary>Logs in, sets the wall clock to <paramref name="unixSeconds"/> and commits a
        /// program built from <paramref name="programLines"/> (after PROG:NEW); returns its crc.</summary>
        public string Commit(long unixSeconds, string[] programLines)
        {
            Ok("AUTH 0000");
            Ok("TIME " + unixSeconds.ToString());
            Ok("PROG:NEW");
            for (int i = 0; i < programLines.Length; i++) Ok(programLines[i]);
            string crc = Field(Ok("PROG:REVIEW"), "crc");
            Ok("PROG:COMMIT " + crc);
            return crc;
        }

        /// <summary>Baclofen at 500 ug/mL, 200 ug in any 24 h, 100 ug/day from midnight and 150 from
        /// 08:00; PTM 10 ug over 5 min, 60 min lockout, 4 a day; catheter 150 uL.</summary>
        public static readonly string[] FlexProgram =
        {
            "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100", "PROG:STEP 08:00 150",
            "PROG:PTM 10 5 60 4", "PROG:CATHETER 150",
        };

        /// <summary>A pump RUNNING <see cref="FlexProgram"/> from midnight with a full reservoir.</summary>
        public static DevicePump Running()
        {
            DevicePump pump = new DevicePump();
            pump.Commit(Midnight, FlexProgram);
            pump.Ok("REFILL 20000");
            pump.Ok("START");
            pump.Take();
            return pump;
        }

        /// <summary>The therapy image, PIN state and volatile state (not the log, which a PTM
        /// refusal legitimately extends).</summary>
        public byte[] StateWithoutLog()
        {
            byte[] buffer = new byte[App.PumpApplication.MaxStateBytes];
            StateWriter writer = new StateWriter(buffer);
            Device.App.Controller.Save(writer);
            Device.App.Auth.Save(writer);
            Device.App.SaveVolatileState(writer);
            if (writer.Overflow) throw new Exception("state overflow");
            byte[] state = new byte[writer.Position];
            Array.Copy(buffer, state, writer.Position);
            return state;
        }

        /// <summary>Whether two byte arrays hold the same bytes.</summary>
        public static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }
    }
}
