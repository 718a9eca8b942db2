// The PROG: commands: staging a program, reviewing it in canonical form and committing it by
// its CRC, so that what was reviewed is exactly what runs (PROTOCOL.md "The program"). Split
// from CommandProcessor along the protocol's own seam; the processor has checked the CRC,
// found the command and checked auth before it calls here.
using PumpFirmware.App;
using PumpFirmware.Dosing;
using PumpFirmware.Log;
using PumpFirmware.Therapy;
using PumpFirmware.Units;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of the PROG: commands; each sends exactly one status line.</summary>
    internal sealed class ProgramCommands
    {
        private readonly PumpApplication _app;
        private readonly RequestLine _request;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;
        private readonly char[] _canonical = new char[Prescription.MaxCanonicalLength];

        /// <summary>The word that lets PROG:REVIEW and PROG:COMMIT pass the titration limits (not the hard ones).</summary>
        public const string OverrideWord = "OVERRIDE=TITRATION";

        /// <summary>Creates the handlers over the processor's request, reply and argument readers.</summary>
        public ProgramCommands(PumpApplication app, RequestLine request, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _request = request;
            _reply = reply;
            _args = args;
        }

        public void New()
        {
            if (!_args.Expect(0)) return;
            _app.Staged.Clear();
            _reply.SendOk();
        }

        public void Load()
        {
            if (!_args.Expect(0)) return;
            Prescription active = _app.Controller.ActiveProgram;
            if (active == null)
            {
                _reply.SendError(409, "no active program");
                return;
            }
            _app.Staged.CopyFrom(active);
            _reply.SendOk();
        }

        public void Drug()
        {
            if (!_args.Expect(2)) return;
            if (!_request.IsDrugName(1))
            {
                _reply.SendError(400, "malformed name ([A-Za-z0-9_-]{1,16})");
                return;
            }
            long conc;
            if (!_args.Number(2, "conc_ug_ml", out conc)) return;
            Staged(_app.Staged.SetDrug(_request.WordString(1), conc));
        }

        public void Limit()
        {
            if (!_args.Expect(1)) return;
            long limit;
            if (!_args.Number(1, "ug_day", out limit)) return;
            Staged(_app.Staged.SetLimit(limit));
        }

        public void Step()
        {
            if (!_args.Expect(2)) return;
            int minute;
            if (!_request.TryTimeOfDay(1, out minute))
            {
                _reply.SendError(400, "malformed time of day (hh:mm, 00:00 to 23:59)");
                return;
            }
            long rate;
            if (!_args.Number(2, "ug_day", out rate)) return;
            Staged(_app.Staged.SetStep(minute, rate));
        }

        public void ClearSteps()
        {
            if (!_args.Expect(0)) return;
            _app.Staged.ClearSteps();
            _reply.SendOk();
        }

        public void Ptm()
        {
            if (_request.ArgumentCount == 1 && _request.Is(1, "OFF"))
            {
                _app.Staged.SetPtmOff();
                _reply.SendOk();
                return;
            }
            if (_request.ArgumentCount == 1)
            {
                _reply.SendError(400, "malformed argument (PROG:PTM OFF)");
                return;
            }
            if (!_args.Expect(4)) return;
            long dose, duration, lockout, maxPerDay;
            if (!_args.Number(1, "dose_ug", out dose)) return;
            if (!_args.WholeNumber(2, "duration_min", out duration)) return;
            if (!_args.WholeNumber(3, "lockout_min", out lockout)) return;
            if (!_args.Count(4, "max_per_day", out maxPerDay)) return;
            Staged(_app.Staged.SetPtm(dose, duration, lockout, maxPerDay));
        }

        public void Reservoir()
        {
            if (!_args.Expect(2)) return;
            long capacity, low;
            if (!_args.Number(1, "capacity_ul", out capacity)) return;
            if (!_args.Number(2, "low_alarm_ul", out low)) return;
            Staged(_app.Staged.SetReservoir(capacity, low));
        }

        public void Catheter()
        {
            if (!_args.Expect(1)) return;
            long volume;
            if (!_args.Number(1, "volume_ul", out volume)) return;
            Staged(_app.Staged.SetCatheter(volume));
        }

        public void MinRate()
        {
            if (!_args.Expect(1)) return;
            long rate;
            if (!_args.Number(1, "ul_day", out rate)) return;
            Staged(_app.Staged.SetMinRate(rate));
        }

        public void Review(long nowMicros)
        {
            // PROG:REVIEW [OVERRIDE=TITRATION]: the word lets a clinician see the CRC of a program the titration guard
            // refuses, to commit it with the same word.
            if (_request.ArgumentCount > 1 || _request.TooManyWords)
            {
                _args.WrongCount();
                return;
            }
            bool overrideTitration = _request.ArgumentCount == 1;
            if (overrideTitration && !_request.Is(1, OverrideWord))
            {
                _reply.SendError(400, "malformed argument (OVERRIDE=TITRATION)");
                return;
            }
            TherapyResult check = _app.Controller.ValidateProgram(_app.Staged);
            if (!check.IsOk)
            {
                _reply.SendError(check.Code, check.Detail);
                return;
            }
            TitrationGuard guard = _app.Titration;
            guard.Evaluate(_app.Staged, _app.Controller.ActiveProgram, nowMicros);
            string refused = guard.Refusal(overrideTitration);
            if (refused != null)
            {
                _reply.SendError(422, refused);
                return;
            }
            if (!guard.HasEntry) SendNoEntryLine(_app.Staged.DrugName);
            SendProgram(_app.Staged);
        }

        public void Commit(long nowMicros)
        {
            // PROG:COMMIT <crc> [BRIDGE] [OVERRIDE=TITRATION], the two words in either order.
            int args = _request.ArgumentCount;
            if (args < 1 || args > 3 || _request.TooManyWords)
            {
                _args.WrongCount();
                return;
            }
            int crc;
            if (!_request.TryHex4(1, out crc))
            {
                _reply.SendError(400, "malformed crc (4 hex digits)");
                return;
            }
            bool bridge = false;
            bool overrideTitration = false;
            for (int i = 2; i <= args; i++)
            {
                if (!bridge && _request.Is(i, "BRIDGE")) bridge = true;
                else if (!overrideTitration && _request.Is(i, OverrideWord)) overrideTitration = true;
                else
                {
                    _reply.SendError(400, "malformed argument (BRIDGE, OVERRIDE=TITRATION)");
                    return;
                }
            }
            if (!_app.Staged.IsComplete)
            {
                _reply.SendError(409, "program incomplete");
                return;
            }
            int staged = _app.Staged.ComputeCrc(_canonical);
            if (staged != crc)
            {
                _reply.Error(409, "crc does not match the staged program");
                _reply.Line.AppendKey("staged_crc");
                _reply.Line.AppendHex4(staged);
                _reply.Send();
                return;
            }
            // Order (PROTOCOL.md, drug library): the bridge's 409 and the program's own 422 first, then the library's
            // hard limits, then the titration limits; the controller's commit checks the first two again.
            TherapyController controller = _app.Controller;
            Prescription active = controller.ActiveProgram;
            string bridgeRefusal = BridgeRule.RefuseCommit(controller.ActiveBolus == BolusKind.Bridge, active, _app.Staged);
            if (bridgeRefusal != null)
            {
                _reply.SendError(409, bridgeRefusal);
                return;
            }
            TherapyResult check = controller.ValidateProgram(_app.Staged);
            if (!check.IsOk)
            {
                _reply.SendError(check.Code, check.Detail);
                return;
            }
            TitrationGuard guard = _app.Titration;
            guard.Evaluate(_app.Staged, active, nowMicros);
            string refused = guard.Refusal(overrideTitration);
            if (refused != null)
            {
                _reply.SendError(422, refused);
                return;
            }
            TherapyResult result = controller.Commit(_app.Staged, bridge, nowMicros);
            if (!result.IsOk)
            {
                _reply.SendError(result.Code, result.Detail);
                return;
            }
            if (overrideTitration) LogOverrides(guard, nowMicros);
            guard.RecordCommit(nowMicros, _app.WallClockSet ? controller.UnixSeconds(nowMicros) : 0);
            _app.MarkDirty(PersistReasons.Command);
            _reply.Ok();
            _reply.Line.AppendKey("crc");
            _reply.Line.AppendHex4(crc);
            _reply.Send();
        }

        public void Query()
        {
            if (!_args.Expect(0)) return;
            Prescription active = _app.Controller.ActiveProgram;
            if (active == null)
            {
                _reply.Ok();
                _reply.Line.AppendField("crc", "NONE");
                _reply.Send();
                return;
            }
            SendProgram(active);
        }

        private void SendProgram(Prescription program)
        {
            int length = program.FormatCanonical(_canonical);
            int crc = Crc16.Update(Crc16.Initial, _canonical, 0, length);
            _reply.Ok();
            LineWriter w = _reply.Line;
            w.AppendKey("crc");
            w.AppendHex4(crc);
            w.Append(' ');
            w.Append(_canonical, 0, length);
            _reply.Send();
        }

        // Each titration limit the commit went past is logged with its value and the limit (TITRATION_OVERRIDE).
        private void LogOverrides(TitrationGuard guard, long nowMicros)
        {
            int exceeded = guard.ExceededLimits;
            for (int limit = TitrationGuard.LimitStep; limit <= TitrationGuard.LimitTotal; limit <<= 1)
            {
                if ((exceeded & limit) == 0) continue;
                _app.AppendLog(nowMicros, EventLogTypes.TitrationOverride, limit, guard.ValueOf(limit), guard.LimitOf(limit));
            }
        }

        // The review of a drug without a library entry says so, in a line before its status line: the status line
        // stays "OK crc=HHHH <canonical text>", whose CRC covers everything after "crc=HHHH ".
        private void SendNoEntryLine(string drugName)
        {
            LineWriter w = _app.Writer;
            w.Begin();
            w.Append("!LIB");
            w.AppendField("drug", drugName);
            w.AppendField("entry", "NONE");
            w.Send(_reply.WithCrc);
        }

        private void Staged(string error)
        {
            if (error != null)
            {
                _reply.SendError(422, error);
                return;
            }
            _reply.SendOk();
        }
    }
}
