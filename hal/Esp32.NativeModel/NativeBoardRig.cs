// The circuit around the ESP32, as hardware/ wires it: a STEP/DIR driver that takes a step on
// each rising STEP edge while its ENABLE input is low, the optional STEP->STEP_SENSE jumper
// into the PCNT, and the DC head (TB6612FNG, gearmotor, encoder into the PCNT).
using System;

namespace PumpFirmware.Esp32.NativeModel
{
    public static partial class NativeBoard
    {
        private static int s_stepPin = -1;
        private static int s_enablePin = -1;
        private static long s_stepEdgesSeen;
        private static long s_driverSteps;
        private static long s_pulsesWhileDisabled;
        private static int s_jumperFrom = -1;
        private static int s_jumperTo = -1;

        private static int s_dcPwm = -1;
        private static int s_dcIn1 = -1;
        private static int s_dcIn2 = -1;
        private static int s_dcStandby = -1;
        private static int s_dcEncoder = -1;
        private static double s_dcCountsPerSecondFull;
        private static double s_dcSpeed;
        private static double s_dcPosition;
        private static bool s_dcJammed;

        /// <summary>Steps the stepper driver took (rising STEP edges while ENABLE was low).</summary>
        public static long DriverSteps { get { lock (Sync) { SettleStepper(); return s_driverSteps; } } }

        /// <summary>STEP pulses that reached a disabled driver (no motion).</summary>
        public static long PulsesWhileDisabled { get { lock (Sync) { SettleStepper(); return s_pulsesWhileDisabled; } } }

        /// <summary>Encoder counts the DC head made.</summary>
        public static long DcEncoderCounts { get { lock (Sync) { return (long)Math.Floor(s_dcPosition); } } }

        private static void ResetRig()
        {
            s_stepPin = -1;
            s_enablePin = -1;
            s_stepEdgesSeen = 0;
            s_driverSteps = 0;
            s_pulsesWhileDisabled = 0;
            s_jumperFrom = -1;
            s_jumperTo = -1;
            s_dcPwm = s_dcIn1 = s_dcIn2 = s_dcStandby = s_dcEncoder = -1;
            s_dcSpeed = 0;
            s_dcPosition = 0;
            s_dcJammed = false;
        }

        /// <summary>Jams the DC head's rollers (true) or frees them.</summary>
        public static void JamDcHead(bool jammed)
        {
            lock (Sync)
            {
                s_dcJammed = jammed;
                if (jammed)
                {
                    s_dcSpeed = 0;
                }
            }
        }

        /// <summary>Wires a STEP/DIR driver (A4988, DRV8825): its EN input pulls itself low when
        /// undriven (the carriers' pull-down), and <paramref name="enablePullUp"/> fits the
        /// hardware/ 10 kΩ pull-up to 3V3.</summary>
        public static void WireStepperDriver(int stepGpio, int enableGpio, bool enablePullUp)
        {
            lock (Sync)
            {
                s_stepPin = stepGpio;
                s_enablePin = enableGpio;
                SetFloatingLevel(enableGpio, false);
                SetExternalPull(enableGpio, enablePullUp ? Pull.Up : Pull.None);
                s_stepEdgesSeen = RisingEdgesLocked(stepGpio);
            }
        }

        /// <summary>Fits a wire jumper from one pad to another (STEP to STEP_SENSE).</summary>
        public static void WireJumper(int fromGpio, int toGpio)
        {
            lock (Sync)
            {
                s_jumperFrom = fromGpio;
                s_jumperTo = toGpio;
            }
        }

        /// <summary>Wires the DC head: TB6612FNG channel A and a motor whose encoder counts
        /// <paramref name="countsPerSecondAtFullDuty"/> at 100 % duty (first order, 30 ms).</summary>
        public static void WireDcHead(int pwmGpio, int in1Gpio, int in2Gpio, int standbyGpio, int encoderGpio, double countsPerSecondAtFullDuty)
        {
            lock (Sync)
            {
                s_dcPwm = pwmGpio;
                s_dcIn1 = in1Gpio;
                s_dcIn2 = in2Gpio;
                s_dcStandby = standbyGpio;
                s_dcEncoder = encoderGpio;
                s_dcCountsPerSecondFull = countsPerSecondAtFullDuty;
                SetExternalPull(standbyGpio, Pull.Down);
                SetExternalPull(encoderGpio, Pull.Up);
            }
        }

        /// <summary>Rising edges that reached a pad since the reset, from any source.</summary>
        internal static long RisingEdgesAt(int gpio)
        {
            lock (Sync)
            {
                return RisingEdgesLocked(gpio);
            }
        }

        private static long RisingEdgesLocked(int gpio)
        {
            if (gpio == s_jumperTo && s_jumperFrom >= 0)
            {
                return RisingEdgesLocked(s_jumperFrom);
            }

            if (gpio == s_dcEncoder)
            {
                return (long)Math.Floor(s_dcPosition);
            }

            return RmtEdges(gpio) + PwmEdges(gpio);
        }

        /// <summary>Credits the STEP edges since the last call to the driver at the ENABLE level
        /// they met (ENABLE only changes between calls: managed code runs at one virtual instant).</summary>
        internal static void SettleStepper()
        {
            if (s_stepPin < 0)
            {
                return;
            }

            long total = RisingEdgesLocked(s_stepPin);
            long delta = total - s_stepEdgesSeen;
            s_stepEdgesSeen = total;
            if (delta <= 0)
            {
                return;
            }

            if (!LevelOf(Pad(s_enablePin), s_now))
            {
                s_driverSteps += delta;
            }
            else
            {
                s_pulsesWhileDisabled += delta;
            }
        }

        private static void AdvancePhysics(long micros)
        {
            long target = s_now + micros;
            if (s_dcPwm >= 0)
            {
                while (s_now < target)
                {
                    long h = Math.Min(100, target - s_now);
                    s_now += h;
                    bool drive = LevelOf(Pad(s_dcStandby), s_now) && LevelOf(Pad(s_dcIn1), s_now) && !LevelOf(Pad(s_dcIn2), s_now);
                    double duty = drive ? PwmHardwareDutyLocked(s_dcPwm) : 0;
                    double speed = s_dcCountsPerSecondFull * duty;
                    double tau = duty > 0 ? 0.030 : 0.010;
                    s_dcSpeed = s_dcJammed ? 0 : s_dcSpeed + ((speed - s_dcSpeed) * (h / 1e6) / tau);
                    s_dcPosition += s_dcSpeed * h / 1e6;
                }
            }

            s_now = target;
            SettleStepper();
            SettleUart();
        }

        private static double PwmHardwareDutyLocked(int gpio)
        {
            return s_pwm.TryGetValue(gpio, out PwmHardware hw) && hw.Running ? hw.Duty : 0;
        }

        private static void ResetI2c()
        {
            ResetRtc();
        }
    }
}
