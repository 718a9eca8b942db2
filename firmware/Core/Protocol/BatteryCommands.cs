// BATT? and BATT:REPLACED (docs/PROTOCOL.md "Battery: ERI and end of service"), beside the
// processor like ProgramCommands: the processor has checked the CRC, found the command and
// checked auth before it calls here.
using PumpFirmware.App;
using PumpFirmware.Energy;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of the battery commands; each sends exactly one status line.</summary>
    internal sealed class BatteryCommands
    {
        private const long MicrosPerSecond = 1000000L;

        private readonly PumpApplication _app;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;

        /// <summary>Creates the handlers over the processor's reply and argument readers.</summary>
        public BatteryCommands(PumpApplication app, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _reply = reply;
            _args = args;
        }

        /// <summary>BATT? → <c>OK source=MAINS</c>, or <c>OK source=BATTERY remaining_mah= capacity_mah= drain_ua=
        /// eri_in_s= eos_in_s= eri_unix_s= eos_unix_s= eri=YES|NO eos=YES|NO voltage_mv= adc=NONE|OK|FAULT
        /// replacements=</c>.</summary>
        public void Query(long now)
        {
            if (!_args.Expect(0)) return;
            BatteryGauge gauge = _app.Battery;
            _reply.Ok();
            LineWriter w = _reply.Line;
            if (gauge == null)
            {
                w.AppendField("source", "MAINS");
                _reply.Send();
                return;
            }
            // The forecast as of the service pass that ran just before this request (at the same instant).
            w.AppendField("source", "BATTERY");
            w.AppendFixed3Field("remaining_mah", MicroampHours(gauge.RemainingNanocoulombs));
            w.AppendFixed3Field("capacity_mah", MicroampHours(gauge.Profile.CapacityNanocoulombs));
            w.AppendFixed3Field("drain_ua", gauge.DrainNanocoulombsPerDay / 86400L);
            long eriIn = gauge.EriInMicros();
            long eosIn = gauge.EosInMicros();
            w.AppendField("eri_in_s", Seconds(eriIn));
            w.AppendField("eos_in_s", Seconds(eosIn));
            w.AppendField("eri_unix_s", UnixAt(gauge.Eri ? gauge.EriAtMicros : Later(now, eriIn)));
            w.AppendField("eos_unix_s", UnixAt(gauge.Eos ? gauge.EosAtMicros : Later(now, eosIn)));
            w.AppendField("eri", gauge.Eri ? "YES" : "NO");
            w.AppendField("eos", gauge.Eos ? "YES" : "NO");
            w.AppendField("voltage_mv", gauge.LastMillivolts);
            w.AppendField("adc", gauge.AdcState == BatteryGauge.AdcOk ? "OK" : (gauge.AdcState == BatteryGauge.AdcFault ? "FAULT" : "NONE"));
            w.AppendField("replacements", gauge.Replacements);
            _reply.Send();
        }

        /// <summary>BATT:REPLACED (auth): a new cell of the profile's capacity was fitted. Clears ERI and EOS; a pump that
        /// EOS stopped waits in SUSPENDED for START. 409 on a mains-powered pump.</summary>
        public void Replaced(long now)
        {
            if (!_args.Expect(0)) return;
            if (_app.Battery == null)
            {
                _reply.SendError(409, "no battery (mains powered)");
                return;
            }
            _app.ReplaceBattery(now);
            _reply.Ok();
            _reply.Line.AppendFixed3Field("remaining_mah", MicroampHours(_app.Battery.RemainingNanocoulombs));
            _reply.Line.AppendField("replacements", _app.Battery.Replacements);
            _reply.Send();
        }

        // Thousandths of a mAh (µAh: 3.6 mC = 3,600,000 nC), rounded down.
        private static long MicroampHours(long nanocoulombs)
        {
            return nanocoulombs / 3600000L;
        }

        // Whole seconds, rounded down (a forecast never later than the model says); -1 for never.
        private static long Seconds(long micros)
        {
            return micros == long.MaxValue ? -1 : micros / MicrosPerSecond;
        }

        private static long Later(long now, long micros)
        {
            return micros == long.MaxValue || micros > long.MaxValue - now ? -1 : now + micros;
        }

        private long UnixAt(long timelineMicros)
        {
            if (timelineMicros < 0) return -1;
            return _app.Controller.UnixSeconds(timelineMicros);
        }
    }
}
