// The PRESSURE commands (issue 18): the pressure occlusion rule's query, limit and sensor
// calibration, and the pressure field STATUS? and !TEL append where a sensor is fitted. Split from
// CommandProcessor like ProgramCommands; the processor has checked the CRC, found the command and
// checked auth before it calls here. Arguments are parsed before anything changes (400 before 422).
using PumpFirmware.App;
using PumpFirmware.Log;
using PumpFirmware.Therapy;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of PRESSURE?, PRESSURE:LIMIT and PRESSURE:CAL; each sends exactly one status line.</summary>
    internal sealed class PressureCommands
    {
        /// <summary><c>code</c> of a CAL log record written by PRESSURE:CAL (a = zero mV, b = slope µV/mmHg).</summary>
        public const int LogCodeCalibration = 1;

        /// <summary><c>code</c> of a CAL log record written by PRESSURE:LIMIT (a = new, b = previous limit, thousandths of mmHg).</summary>
        public const int LogCodeLimit = 2;

        private readonly PumpApplication _app;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;

        /// <summary>Creates the handlers over the processor's reply and argument readers.</summary>
        public PressureCommands(PumpApplication app, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _reply = reply;
            _args = args;
        }

        /// <summary>PRESSURE?: <c>OK fitted=YES|NO [sensor=OK|FAULT pressure_mmhg=.. mv=..] limit_mmhg=.. zero_mv=.. mv_per_mmhg=..</c>.</summary>
        public void Query()
        {
            if (!_args.Expect(0)) return;
            PressureRule rule = _app.Pressure;
            bool fitted = _app.Hardware.Pressure != null;
            _reply.Ok();
            LineWriter w = _reply.Line;
            w.AppendField("fitted", fitted ? "YES" : "NO");
            if (fitted)
            {
                w.AppendField("sensor", rule.SensorFault ? "FAULT" : "OK");
                AppendValue(rule, w);
                w.AppendKey("mv");
                if (rule.HasReading) w.AppendInteger(rule.LastMillivolts);
                else w.Append("NONE");
            }
            w.AppendFixed3Field("limit_mmhg", rule.LimitMilliMmHg);
            w.AppendField("zero_mv", rule.ZeroMillivolts);
            w.AppendFixed3Field("mv_per_mmhg", rule.MicrovoltsPerMmHg);
            _reply.Send();
        }

        /// <summary>PRESSURE:LIMIT &lt;mmhg&gt; (auth): the occlusion limit, 10 to 2000 mmHg; 409 without a sensor.</summary>
        public void Limit(long nowMicros)
        {
            if (!_args.Expect(1)) return;
            long limit;
            if (!_args.Number(1, "mmhg", out limit)) return;
            if (!Fitted()) return;
            if (limit < PressureRule.MinLimitMilliMmHg || limit > PressureRule.MaxLimitMilliMmHg)
            {
                _reply.SendError(422, "mmhg out of range 10..2000");
                return;
            }
            long previous = _app.Pressure.LimitMilliMmHg;
            _app.Pressure.SetLimit(limit);
            _app.AppendLog(nowMicros, EventLogTypes.Calibration, LogCodeLimit, limit, previous);
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        /// <summary>PRESSURE:CAL &lt;zero_mv&gt; &lt;mv_per_mmhg&gt; (auth): the sensor's output at 0 mmHg (0 to 5000 mV) and
        /// its slope (0.001 to 1000 mV per mmHg); 409 without a sensor.</summary>
        public void Calibrate(long nowMicros)
        {
            if (!_args.Expect(2)) return;
            long zero, slope;
            if (!_args.Count(1, "zero_mv", out zero)) return;
            if (!_args.Number(2, "mv_per_mmhg", out slope)) return;
            if (!Fitted()) return;
            if (zero > PressureRule.MaxZeroMillivolts)
            {
                _args.OutOfRange("zero_mv", zero, "0..5000");
                return;
            }
            if (slope < PressureRule.MinMicrovoltsPerMmHg || slope > PressureRule.MaxMicrovoltsPerMmHg)
            {
                _reply.SendError(422, "mv_per_mmhg out of range 0.001..1000");
                return;
            }
            _app.Pressure.SetCalibration((int)zero, slope);
            _app.AppendLog(nowMicros, EventLogTypes.Calibration, LogCodeCalibration, zero, slope);
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        // Settings of a sensor that is not fitted would change nothing and could not be stored: 409 (after the 400s).
        private bool Fitted()
        {
            if (_app.Hardware.Pressure != null) return true;
            _reply.SendError(409, "no pressure sensor");
            return false;
        }

        /// <summary>Appends <c> pressure_mmhg=..</c> (the filtered pressure; <c>FAULT</c> for an unreadable sensor,
        /// <c>NONE</c> before the first reading) where a sensor is fitted; nothing otherwise, so a pump without one
        /// sends exactly the lines it always did.</summary>
        public static void AppendPressure(PumpApplication app, LineWriter w)
        {
            if (app.Hardware.Pressure == null) return;
            AppendValue(app.Pressure, w);
        }

        private static void AppendValue(PressureRule rule, LineWriter w)
        {
            if (rule.SensorFault) w.AppendField("pressure_mmhg", "FAULT");
            else if (!rule.HasReading) w.AppendField("pressure_mmhg", "NONE");
            else w.AppendFixed3Field("pressure_mmhg", rule.FilteredMilliMmHg);
        }
    }
}
