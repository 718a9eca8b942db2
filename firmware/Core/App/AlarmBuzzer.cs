// The alarm buzzer's two patterns (docs/PROTOCOL-GUIDE.md "Buzzer"): an unacknowledged stopping
// alarm sounds 2 kHz, 250 ms on / 250 ms off; any other unacknowledged alarm one 1 kHz beep of
// 150 ms every 5 s; an acknowledged alarm is silent. The pattern is a function of the time alone,
// so the application drives it on every service pass and the output is written only when the
// wanted tone changes (a PWM write per change, not per pass). Its timing is not part of
// NextWakeMicros: a pump that sleeps longer than a phase sounds it late (a known limit).
using PumpFirmware.Hal;
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    /// <summary>Drives the buzzer output from the unacknowledged alarms and the time.</summary>
    public sealed class AlarmBuzzer
    {
        private int _frequency = -1; // Hz sounding now (0: silent); -1 until the first pass, which always writes

        /// <summary>Sets <paramref name="output"/> to the tone due at <paramref name="nowMicros"/> (device timeline, µs)
        /// for the <see cref="AlarmCode"/> bits <paramref name="unackedAlarms"/>, if it is not already that tone.</summary>
        public void Drive(IPwmOutput output, int unackedAlarms, long nowMicros)
        {
            // The common pass: no alarm to sound and the buzzer already silent (what the rest would conclude).
            if (unackedAlarms == 0 && _frequency == 0) return;
            int frequency;
            bool on;
            long phaseMs = (nowMicros / 1000);
            if ((unackedAlarms & AlarmCode.StoppingMask) != 0)
            {
                // High priority: 2 kHz, 250 ms on / 250 ms off, continuously.
                frequency = 2000;
                on = phaseMs % 500 < 250;
            }
            else if (unackedAlarms != 0)
            {
                // Low priority: 1 kHz, one 150 ms beep every 5 s.
                frequency = 1000;
                on = phaseMs % 5000 < 150;
            }
            else
            {
                frequency = 0;
                on = false;
            }
            int wanted = on ? frequency : 0;
            if (wanted == _frequency) return;
            _frequency = wanted;
            if (wanted == 0) output.Stop();
            else output.Set(wanted, 500);
        }
    }
}
