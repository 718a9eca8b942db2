// Replays a script in the format of the protocol tests' golden transcript
// (tests/PumpFirmware.Protocol.Tests/Golden/transcript.script) and prints the session:
//   "# ..." and empty lines are copied;
//   "> LINE" is sent to the pump ("{crc}" at its end becomes "*HHHH", "{reviewcrc}" the crc of
//            the last "OK crc=" answer) and printed, followed by every answer as "< LINE";
//   "@..."   is something that happens around the pump, printed, then done:
//            poweron | advance N[s|m|h|d] | occlusion on|off | battery on|off | stall on|off |
//            powercycle N (clean, the image saved) | powercut N (the journal's state only) |
//            hardware (prints what the fake hardware and the journal counted, as "= ...").
// Any other line is an error: the replay stops with "! bad script line".
using PumpFirmware.Hal;
using PumpFirmware.Units;

namespace PumpFirmware.Replay
{
    /// <summary>Runs one script on a fresh device.</summary>
    public sealed class ScriptRunner : IReplayOutput
    {
        private readonly IReplayOutput _out;
        private ReplayDevice _device;
        private string _reviewCrc = "????";

        /// <summary>Prints to <paramref name="output"/>; the device starts fresh (unbooted), with
        /// a journal on <paramref name="store"/> when it is not null.</summary>
        public ScriptRunner(IReplayOutput output, MemoryRecordStore store)
        {
            _out = output;
            _device = new ReplayDevice(ReplayDevice.FactoryOffClockSeconds, store);
        }

        /// <summary>The device now (a power cycle replaces it).</summary>
        public ReplayDevice Device { get { return _device; } }

        /// <summary>Runs every line of <paramref name="script"/> (LF-separated).</summary>
        /// <returns>false if a line could not be run (it was reported).</returns>
        public bool Run(string script)
        {
            int start = 0;
            while (start < script.Length)
            {
                int end = script.IndexOf('\n', start);
                if (end < 0) end = script.Length;
                string line = script.Substring(start, end - start);
                if (line.Length > 0 && line[line.Length - 1] == '\r') line = line.Substring(0, line.Length - 1);
                start = end + 1;
                if (!RunLine(line))
                {
                    _out.Line("! bad script line: " + line);
                    return false;
                }
            }
            return true;
        }

        /// <summary>Runs one script line.</summary>
        public bool RunLine(string raw)
        {
            if (raw.Length == 0 || raw[0] == '#')
            {
                _out.Line(raw);
                return true;
            }
            if (raw.StartsWith("> "))
            {
                string request = ReplaceAll(raw.Substring(2), "{reviewcrc}", _reviewCrc);
                if (request.EndsWith("{crc}"))
                {
                    request = request.Substring(0, request.Length - 5);
                    request = request + "*" + Crc16.ToHex(Crc16.Compute(request));
                }
                _out.Line("> " + request);
                _device.Send(request);
                _device.Link.TakeLines(this, "< ");
                return true;
            }
            if (raw[0] == '@')
            {
                _out.Line(raw);
                return RunDirective(raw.Substring(1));
            }
            return false;
        }

        private bool RunDirective(string directive)
        {
            int space = directive.IndexOf(' ');
            string word = space < 0 ? directive : directive.Substring(0, space);
            string arg = space < 0 ? "" : directive.Substring(space + 1);
            if (word == "poweron")
            {
                _device.Boot(ResetCause.Power);
            }
            else if (word == "advance")
            {
                long micros = DurationMicros(arg);
                if (micros < 0) return false;
                _device.Advance(micros);
            }
            else if (word == "occlusion" || word == "battery" || word == "stall")
            {
                if (arg != "on" && arg != "off") return false;
                bool on = arg == "on";
                if (word == "occlusion") _device.Occlusion.IsAsserted = on;
                else if (word == "battery") _device.LowBattery.IsAsserted = on;
                else _device.Steps.Stalled = on;
            }
            else if (word == "powercycle" || word == "powercut")
            {
                long micros = DurationMicros(arg);
                if (micros < 0) return false;
                if (word == "powercut" && _device.Store == null) return false;
                _device = word == "powercycle" ? _device.PowerCycle(micros / 1000000) : _device.PowerCut(micros / 1000000);
            }
            else if (word == "hardware")
            {
                PrintHardware();
            }
            else
            {
                return false;
            }
            _device.Link.TakeLines(this, "< ");
            return true;
        }

        private void PrintHardware()
        {
            ReplayDevice d = _device;
            string line = "= driver=" + (d.Driver.IsEnabled ? "ON" : "OFF")
                + " emitted=" + d.Steps.Emitted.ToString()
                + " aborted=" + d.Steps.Aborted.ToString()
                + " issued_while_disabled=" + d.Steps.IssuedWhileDisabled.ToString()
                + " buzzer_sets=" + d.Buzzer.Sets.ToString();
            if (d.Persistence != null)
            {
                line = line + " commits=" + d.Persistence.Durable.Commits.ToString()
                    + " snapshots=" + d.Persistence.Durable.Snapshots.ToString()
                    + " deltas=" + d.Persistence.Durable.Deltas.ToString()
                    + " unpersisted_steps=" + d.Persistence.UnpersistedSteps.ToString();
            }
            _out.Line(line);
        }

        /// <summary>"N", "Ns", "Nm", "Nh" or "Nd" (whole units) in µs; -1 when malformed.</summary>
        public static long DurationMicros(string text)
        {
            if (text.Length == 0) return -1;
            long unit = 1000000;
            char last = text[text.Length - 1];
            if (last == 's' || last == 'm' || last == 'h' || last == 'd')
            {
                if (last == 'm') unit = 60000000L;
                else if (last == 'h') unit = 3600000000L;
                else if (last == 'd') unit = 86400000000L;
                text = text.Substring(0, text.Length - 1);
            }
            if (text.Length == 0 || text.Length > 9) return -1;
            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return -1;
                value = value * 10 + (c - '0');
            }
            return value * unit;
        }

        /// <summary>Replaces every <paramref name="find"/> in <paramref name="text"/> (nano's string has no Replace(string, string)).</summary>
        public static string ReplaceAll(string text, string find, string replacement)
        {
            int at = text.IndexOf(find);
            while (at >= 0)
            {
                text = text.Substring(0, at) + replacement + text.Substring(at + find.Length);
                at = text.IndexOf(find, at + replacement.Length);
            }
            return text;
        }

        /// <summary>Prints an answer line, noting the crc of a reviewed program for "{reviewcrc}".</summary>
        public void Line(string text)
        {
            if (text.StartsWith("< OK crc=") && text.Length >= 13) _reviewCrc = text.Substring(9, 4);
            _out.Line(text);
        }
    }
}
