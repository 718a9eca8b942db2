// Every request of PROTOCOL.md, answered with exactly one status line. The order of checks is
// the contract's: 401 (CRC), then 400 for an unknown command, then 403 (auth), then 400 for
// the arguments, then 409 (state), then 422/423 (values and limits). Handlers parse every
// argument before touching anything, and the core's commands change nothing when they refuse,
// so an ERR changes nothing (the wrong-PIN count, AUTH_FAIL and refused-PTM records excepted,
// as the contract asks).
using PumpFirmware.App;
using PumpFirmware.Dosing;
using PumpFirmware.Log;
using PumpFirmware.Therapy;
using PumpFirmware.Units;

namespace PumpFirmware.Protocol
{
    /// <summary>Parses and runs request lines against the application.</summary>
    public sealed class CommandProcessor
    {
        /// <summary>Most records one LOG? returns.</summary>
        public const int MaxLogCount = 100;

        /// <summary>Largest unix time TIME accepts, s (the core's range; 2100-01-01).</summary>
        private const long MaxUnixSeconds = 4102444800;

        private readonly PumpApplication _app;
        private readonly RequestLine _request = new RequestLine();
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;
        private readonly ProgramCommands _programming;
        private readonly LibraryCommands _library;
        private readonly PressureCommands _pressure;
        private readonly RefillHistoryCommands _refillHistory;
        private readonly BatteryCommands _batteryCommands;
        private readonly AuthCommands _session;
        private readonly TerminalCommands _terminal;
        private long _now;
        private long _failures;

        /// <summary>Creates the processor of <paramref name="app"/> (PumpApplication does this).</summary>
        public CommandProcessor(PumpApplication app)
        {
            _app = app;
            _reply = new StatusReply(app.Writer);
            _reply.CommitBeforeSend = app;
            _args = new CommandArguments(_request, _reply);
            _programming = new ProgramCommands(app, _request, _reply, _args);
            _library = new LibraryCommands(app, _request, _reply, _args);
            _pressure = new PressureCommands(app, _reply, _args);
            _refillHistory = new RefillHistoryCommands(app, _request, _reply, _args);
            _batteryCommands = new BatteryCommands(app, _reply, _args);
            _session = new AuthCommands(app, _request, _reply, _args);
            _terminal = new TerminalCommands(app, _request, _reply, _args);
        }

        /// <summary>The SIM: extension, or null (the ESP32 answers SIM: with ERR 400).</summary>
        public ICommandExtension Extension { get; set; }

        /// <summary>Runs one request line (1..200 chars, as the line assembler delivered it) and
        /// sends its status line (and, for LOG?, the `!LOG` lines before it).</summary>
        /// <param name="line">The characters (one per received byte).</param>
        /// <param name="length">1..200.</param>
        /// <param name="nowMicros">Device timeline, µs.</param>
        public void Process(char[] line, int length, long nowMicros)
        {
            _now = nowMicros;
            int content = length;
            bool hasCrc = length >= 5 && line[length - 5] == '*' && IsHex4(line, length - 4);
            _reply.Reset(hasCrc);
            if (hasCrc)
            {
                content = length - 5;
                int expected = (RequestLine.HexValue(line[length - 4]) << 12) | (RequestLine.HexValue(line[length - 3]) << 8)
                    | (RequestLine.HexValue(line[length - 2]) << 4) | RequestLine.HexValue(line[length - 1]);
                if (Crc16.Update(Crc16.Initial, line, 0, content) != expected)
                {
                    _reply.SendError(401, "checksum mismatch");
                    return;
                }
            }
            else if (_app.Writer.CrcAlways)
            {
                _reply.SendError(401, "checksum required");
                return;
            }

            _app.Auth.OnRequest(nowMicros);
            _request.Parse(line, content);
            int command = CommandTable.Find(_request, 0);
            _args.Command = command;
            if (command < 0)
            {
                ICommandExtension extension = Extension;
                bool handled = false;
                if (_request.Count > 0 && extension != null)
                {
                    try
                    {
                        handled = extension.TryHandle(_request, _reply);
                    }
                    catch (System.Exception)
                    {
                        _failures++;
                        handled = true;
                    }
                }
                if (handled)
                {
                    if (!_reply.Sent) _reply.SendError(500, "internal fault");
                    return;
                }
                if (!_reply.Sent) _reply.SendError(400, "unknown command");
                return;
            }
            if (CommandTable.NeedsAuth(command) && !_app.Auth.IsAuthorized)
            {
                _reply.SendError(403, "auth required");
                return;
            }
            try
            {
                Dispatch(command);
            }
            catch (System.Exception)
            {
                // No input may crash the firmware. Handlers validate before they change anything,
                // so an exception here is a firmware bug met before any change; the request still
                // gets its one status line (the tests fail on any ERR 500).
                _failures++;
            }
            if (!_reply.Sent)
            {
                _reply.SendError(500, "internal fault");
            }
        }

        /// <summary>Requests that ended in an internal fault (a firmware bug) since boot.</summary>
        public long Failures { get { return _failures; } }

        /// <summary>Answers a line that exceeded 200 characters.</summary>
        public void ReplyLineTooLong()
        {
            _reply.Reset(false);
            _reply.SendError(400, "line too long");
        }

        /// <summary>Answers a line that bytes may be missing from (the receive buffer reached capacity while it
        /// arrived): it is not run, so two torn halves are never spliced into one request.</summary>
        public void ReplyInputOverrun()
        {
            _reply.Reset(false);
            _reply.SendError(400, "input overrun");
        }

        /// <summary>Appends the fields STATUS? and !TEL share: t_ms unix_s state delivered_ul
        /// steps reservoir_ul rate_ul_day [rate_ug_day] ... alarms.</summary>
        internal void AppendMeasurements(LineWriter w, long now, bool status)
        {
            TherapyController c = _app.Controller;
            if (status) w.AppendField("state", Names.State(c.State));
            w.AppendField("t_ms", _app.UptimeMsAt(now));
            w.AppendField("unix_s", c.UnixSeconds(now));
            if (!status) w.AppendField("state", Names.State(c.State));
            w.AppendFixed3Field("delivered_ul", c.DeliveredNl);
            w.AppendField("steps", c.TotalSteps);
            w.AppendFixed3Field("reservoir_ul", c.ReservoirNl);
            w.AppendFixed3Field("rate_ul_day", c.RateNlPerDay);
            if (status)
            {
                w.AppendFixed3Field("rate_ug_day", c.RateNgPerDay);
                w.AppendField("bolus", Names.Bolus(c.ActiveBolus));
            }
            w.AppendKey("alarms");
            AppendAlarmList(w, c.Alarms);
        }

        // ------------------------------------------------------------------ dispatch

        private void Dispatch(int command)
        {
            switch (command)
            {
                case CommandTable.Idn: Identify(); break;
                case CommandTable.Status: Status(); break;
                case CommandTable.Time: SetTime(); break;
                case CommandTable.TimeQuery: TimeQuery(); break;
                case CommandTable.Auth: _session.Authenticate(_now); break;
                case CommandTable.Logout: _session.Logout(); break;
                case CommandTable.Pin: _session.ChangePin(_now); break;
                case CommandTable.ProgNew: _programming.New(); break;
                case CommandTable.ProgLoad: _programming.Load(); break;
                case CommandTable.ProgDrug: _programming.Drug(); break;
                case CommandTable.ProgLimit: _programming.Limit(); break;
                case CommandTable.ProgStep: _programming.Step(); break;
                case CommandTable.ProgClearSteps: _programming.ClearSteps(); break;
                case CommandTable.ProgPtm: _programming.Ptm(); break;
                case CommandTable.ProgReservoir: _programming.Reservoir(); break;
                case CommandTable.ProgCatheter: _programming.Catheter(); break;
                case CommandTable.ProgMinRate: _programming.MinRate(); break;
                case CommandTable.ProgReview: _programming.Review(_now); break;
                case CommandTable.ProgCommit: _programming.Commit(_now); break;
                case CommandTable.ProgQuery: _programming.Query(); break;
                case CommandTable.Start: if (Args(0)) Therapy(_app.Controller.Start(_now)); break;
                case CommandTable.Stop: if (Args(0)) Therapy(_app.Controller.Stop(_now)); break;
                case CommandTable.Bolus: Bolus(); break;
                case CommandTable.BolusCancel: if (Args(0)) Therapy(_app.Controller.CancelBolus(_now)); break;
                case CommandTable.Ptm: Ptm(); break;
                case CommandTable.Prime: Prime(); break;
                case CommandTable.Refill: _refillHistory.Refill(_now); break;
                case CommandTable.Cal: Calibrate(); break;
                case CommandTable.CalQuery: CalQuery(); break;
                case CommandTable.AlarmQuery: AlarmQuery(); break;
                case CommandTable.AlarmAck: AlarmAck(); break;
                case CommandTable.Tel: Telemetry(); break;
                case CommandTable.Log: LogQuery(); break;
                case CommandTable.Crc: CrcMode(); break;
                case CommandTable.Help: _terminal.Help(); break;
                case CommandTable.Echo: _terminal.Echo(); break;
                case CommandTable.Caps: CapabilityList(); break;
                case CommandTable.LibQuery: _library.Query(_now); break;
                case CommandTable.LibSet: _library.Set(_now); break;
                case CommandTable.LibClear: _library.Clear(_now); break;
                case CommandTable.PressureQuery: _pressure.Query(); break;
                case CommandTable.PressureLimit: _pressure.Limit(_now); break;
                case CommandTable.PressureCal: _pressure.Calibrate(_now); break;
                case CommandTable.RefillQuery: _refillHistory.Query(); break;
                case CommandTable.RefillGap: _refillHistory.SetGap(_now); break;
                case CommandTable.Hist: _refillHistory.History(_now); break;
                case CommandTable.BattQuery: _batteryCommands.Query(_now); break;
                case CommandTable.BattReplaced: _batteryCommands.Replaced(_now); break;
                default: _reply.SendError(400, "unknown command"); break;
            }
        }

        // ------------------------------------------------------------------ identity, status, time

        // CAPS?: what this firmware adds to version 1 (Capabilities), comma-separated, no spaces.
        private void CapabilityList()
        {
            if (!Args(0)) return;
            _reply.Ok();
            LineWriter w = _reply.Line;
            w.AppendKey("caps");
            for (int i = 0; i < Capabilities.Count; i++)
            {
                if (i > 0) w.Append(',');
                w.Append(Capabilities.Word(i));
            }
            _reply.Send();
        }

        private void Identify()
        {
            if (!Args(0)) return;
            DeviceIdentity id = _app.Identity;
            _reply.Ok();
            LineWriter w = _reply.Line;
            w.AppendField("vendor", id.Vendor);
            w.AppendField("model", id.Model);
            w.AppendField("serial", id.Serial);
            w.AppendField("fw", id.FirmwareVersion);
            w.AppendField("proto", 1);
            _reply.Send();
        }

        private void Status()
        {
            if (!Args(0)) return;
            TherapyController c = _app.Controller;
            _reply.Ok();
            LineWriter w = _reply.Line;
            AppendMeasurements(w, _now, true);
            w.AppendKey("program_crc");
            AppendCrc(w, c.ProgramCrc);
            w.AppendField("empty_in_s", c.EmptyInSeconds(_now));
            if (_app.Auth.IsDefaultPin) w.AppendField("pin_default", "YES");
            PressureCommands.AppendPressure(_app, w);
            _reply.Send();
        }

        private void SetTime()
        {
            if (!Args(1)) return;
            long unix;
            if (!WholeNumber(1, "unix_s", out unix)) return;
            if (unix > MaxUnixSeconds)
            {
                OutOfRange("unix_s", unix, "0..4102444800");
                return;
            }
            Therapy(_app.Controller.SetWallClock(unix, _now));
        }

        private void TimeQuery()
        {
            if (!Args(0)) return;
            _reply.Ok();
            _reply.Line.AppendField("unix_s", _app.Controller.UnixSeconds(_now));
            _reply.Line.AppendField("set", _app.WallClockSet ? "YES" : "NO");
            _reply.Send();
        }

        // ------------------------------------------------------------------ therapy

        private void Bolus()
        {
            if (!Args(2)) return;
            long dose, duration;
            if (!Number(1, "dose_ug", out dose)) return;
            if (!WholeNumber(2, "duration_min", out duration)) return;
            int minutes = duration > int.MaxValue ? int.MaxValue : (int)duration;
            Therapy(_app.Controller.StartClinicianBolus(dose, minutes, _now));
        }

        private void Ptm()
        {
            if (!Args(0)) return;
            TherapyResult result = _app.Controller.RequestPatientBolus(_now);
            _app.MarkDirty(PersistReasons.Command);
            if (!result.IsOk)
            {
                _reply.Error(result.Code, result.Detail);
                if (result.Code == 423 && result.RemainingSeconds > 0
                    && (result.Detail == null || result.Detail.IndexOf("remaining_s=") < 0))
                {
                    _reply.Line.AppendField("remaining_s", result.RemainingSeconds);
                }
                _reply.Send();
                return;
            }
            _reply.Ok();
            _reply.Line.AppendFixed3Field("dose_ug", result.DoseNg);
            _reply.Line.AppendField("next_allowed_s", result.NextAllowedSeconds);
            _reply.Send();
        }

        private void Prime()
        {
            if (!Args(1)) return;
            long volume;
            if (!Number(1, "volume_ul", out volume)) return;
            Therapy(_app.Controller.Prime(volume, _now));
        }

        private void Calibrate()
        {
            if (!Args(1)) return;
            long steps;
            if (!Count(1, "steps_per_ml", out steps)) return;
            Therapy(_app.Controller.SetCalibration(steps, _now));
        }

        private void CalQuery()
        {
            if (!Args(0)) return;
            _reply.Ok();
            _reply.Line.AppendField("steps_per_ml", _app.Controller.StepsPerMl);
            _reply.Line.AppendField("max_steps_s", _app.Controller.MaxStepsPerSecond);
            _reply.Send();
        }

        private void Therapy(TherapyResult result)
        {
            if (!result.IsOk)
            {
                _reply.SendError(result.Code, result.Detail);
                return;
            }
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        // ------------------------------------------------------------------ alarms

        private void AlarmQuery()
        {
            if (!Args(0)) return;
            _reply.Ok();
            _reply.Line.AppendKey("alarms");
            AppendAlarmList(_reply.Line, _app.Controller.Alarms);
            _reply.Line.AppendKey("acked");
            AppendAlarmList(_reply.Line, _app.Controller.AckedAlarms & _app.Controller.Alarms);
            _reply.Send();
        }

        private void AlarmAck()
        {
            if (!Args(1)) return;
            int code;
            if (!AlarmCode.TryParse(_request.WordString(1), out code))
            {
                _reply.SendError(400, "unknown alarm code");
                return;
            }
            TherapyResult result = _app.Controller.AcknowledgeAlarm(code, _now);
            if (!result.IsOk)
            {
                _reply.SendError(result.Code, result.Detail);
                return;
            }
            _app.AppendLog(_now, EventLogTypes.Alarm, code, 2, 0);
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        // ------------------------------------------------------------------ telemetry, log, CRC

        private void Telemetry()
        {
            if (!Args(1)) return;
            long period;
            if (!Count(1, "period_s", out period)) return;
            if (period > TelemetrySchedule.MaxPeriodSeconds)
            {
                OutOfRange("period_s", period, "0..3600");
                return;
            }
            _app.Telemetry.SetPeriod((int)period, _now);
            _reply.SendOk();
        }

        private void LogQuery()
        {
            if (!Args(2)) return;
            long from, count;
            if (!Count(1, "from_seq", out from)) return;
            if (!Count(2, "count", out count)) return;
            if (count > MaxLogCount)
            {
                OutOfRange("count", count, "0..100");
                return;
            }
            EventLog log = _app.Log;
            long seq = log.ClampFrom(from);
            long end = seq + count;
            if (end > log.NextSeq) end = log.NextSeq;
            LineWriter w = _app.Writer;
            for (; seq < end; seq++)
            {
                w.Begin();
                w.Append("!LOG");
                w.AppendField("seq", seq);
                LogFormatter.AppendRecord(w, log, seq);
                w.Send(_reply.WithCrc);
            }
            _reply.Ok();
            _reply.Line.AppendField("next_seq", seq);
            _reply.Send();
        }

        private void CrcMode()
        {
            if (!Args(1)) return;
            if (_request.Is(1, "ON"))
            {
                _app.SetCrcMode(true);
            }
            else if (_request.Is(1, "OFF"))
            {
                _app.SetCrcMode(false);
            }
            else
            {
                _reply.SendError(400, "malformed argument (ON or OFF)");
                return;
            }
            _reply.SendOk();
        }

        // ------------------------------------------------------------------ argument helpers (CommandArguments)

        private bool Args(int expected)
        {
            return _args.Expect(expected);
        }

        private bool Number(int index, string key, out long thousandths)
        {
            return _args.Number(index, key, out thousandths);
        }

        private bool WholeNumber(int index, string key, out long value)
        {
            return _args.WholeNumber(index, key, out value);
        }

        private bool Count(int index, string key, out long value)
        {
            return _args.Count(index, key, out value);
        }

        private void OutOfRange(string key, long value, string range)
        {
            _args.OutOfRange(key, value, range);
        }

        private static bool IsHex4(char[] line, int offset)
        {
            for (int i = 0; i < 4; i++)
            {
                if (RequestLine.HexValue(line[offset + i]) < 0) return false;
            }
            return true;
        }

        private static void AppendCrc(LineWriter w, int crc)
        {
            if (crc < 0) w.Append("NONE");
            else w.AppendHex4(crc);
        }

        /// <summary>Appends NONE or CODE,CODE in table order.</summary>
        internal static void AppendAlarmList(LineWriter w, int alarms)
        {
            if ((alarms & AlarmCode.AllMask) == 0)
            {
                w.Append("NONE");
                return;
            }
            bool first = true;
            for (int i = 0; i < AlarmCode.Count; i++)
            {
                int bit = AlarmCode.FromIndex(i);
                if ((alarms & bit) == 0) continue;
                if (!first) w.Append(',');
                w.Append(AlarmCode.Name(bit));
                first = false;
            }
        }
    }
}
