// Model of nanoFramework.System.Device.Pwm 1.1.23 over nf-interpreter's ESP32 LEDC natives
// (targets/ESP32/_nanoCLR/System.Device.Pwm/sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp,
// "PwmChannel.cpp" below):
//  - CreateFromPin finds the LEDC timer from the PWMn function the pad was given with
//    Configuration.SetPinFunction (PwmChannel.cs:116-138; PwmChannel.cpp:483-513: PWM1/PWM2 share
//    timer 0, PWM3/PWM4 timer 1, ...); an unmapped pad gives null.
//  - ONE global flag for every channel: `bool isStarted;` (PwmChannel.cpp:57). Start() of any
//    channel configures timer and channel from the managed fields and sets it
//    (ConfigureAndStart, :111-189, :186); Stop() of any channel clears it (:446-448).
//  - While the flag is clear, Frequency and DutyCycle only store the managed field and return:
//    the hardware keeps what it had (:299-305 and :381-387). One channel's Stop() therefore makes
//    every other channel's later duty and frequency changes silently not reach the pin.
//  - Stop() leaves the pad at the idle level of the polarity (low for ActiveHigh, :446).
using System;
using PumpFirmware.Esp32.NativeModel;

namespace System.Device.Pwm
{
    public sealed class PwmChannel : IDisposable
    {
        private readonly int _pinNumber;
        private readonly int _pwmTimer;
        private int _frequency;
        private double _dutyCycle;
        private readonly NativeBoard.PwmHardware _hardware;

        private PwmChannel(int pin, int timer, int frequency, double dutyCycle)
        {
            _pinNumber = pin;
            _pwmTimer = timer;
            _hardware = NativeBoard.PwmChannelFor(pin, timer);
            Frequency = frequency;
            DutyCycle = dutyCycle;
        }

        /// <summary>Hz.</summary>
        public int Frequency
        {
            get { return _frequency; }
            set
            {
                if (value <= 0)
                {
                    throw new ArgumentException("frequency");
                }

                NativeBoard.Log("PwmChannel.Frequency " + _pinNumber + " " + value + (NativeBoard.PwmStarted ? "" : " (field only)"));
                _frequency = value;
                if (NativeBoard.PwmStarted && _hardware.Configured)
                {
                    NativeBoard.PwmApply(_hardware, _frequency, _hardware.Duty);
                }
            }
        }

        /// <summary>0.0 to 1.0.</summary>
        public double DutyCycle
        {
            get { return _dutyCycle; }
            set
            {
                if (value < 0 || value > 1.0)
                {
                    throw new ArgumentException("duty");
                }

                NativeBoard.Log("PwmChannel.DutyCycle " + _pinNumber + " " + value + (NativeBoard.PwmStarted ? "" : " (field only)"));
                _dutyCycle = value;
                if (NativeBoard.PwmStarted && _hardware.Configured)
                {
                    NativeBoard.PwmApply(_hardware, _hardware.Frequency, _dutyCycle);
                }
            }
        }

        public void Start()
        {
            NativeBoard.Log("PwmChannel.Start " + _pinNumber);
            NativeBoard.PwmStart(_hardware, _frequency, _dutyCycle);
        }

        public void Stop()
        {
            NativeBoard.Log("PwmChannel.Stop " + _pinNumber);
            NativeBoard.PwmStop(_hardware);
        }

        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5)
        {
            int timer = NativeBoard.PwmTimerOf(pin);
            if (timer < 0)
            {
                return null;
            }

            return new PwmChannel(pin, timer, frequency, dutyCyclePercentage);
        }

        public void Dispose()
        {
        }
    }
}

namespace PumpFirmware.Esp32.NativeModel
{
    using System.Collections.Generic;

    public static partial class NativeBoard
    {
        private static bool s_pwmStarted;
        private static readonly Dictionary<int, PwmHardware> s_pwm = new Dictionary<int, PwmHardware>();

        /// <summary>The LEDC state of one pad: what the hardware outputs, not what managed code asked.</summary>
        internal sealed class PwmHardware
        {
            public int Pin;
            public int Timer;
            public bool Configured;
            public bool Running;
            public int Frequency;
            public double Duty;
            public long SegmentStart;
            public long EdgesBefore;
        }

        /// <summary>nanoFramework's one isStarted flag (PwmChannel.cpp:57).</summary>
        public static bool PwmStarted { get { lock (Sync) { return s_pwmStarted; } } }

        private static void ResetPwm()
        {
            s_pwmStarted = false;
            s_pwm.Clear();
        }

        /// <summary>The duty the LEDC hardware outputs on a pad now (0 when stopped).</summary>
        public static double PwmHardwareDuty(int gpio)
        {
            lock (Sync)
            {
                return s_pwm.TryGetValue(gpio, out PwmHardware hw) && hw.Running ? hw.Duty : 0;
            }
        }

        /// <summary>The frequency the LEDC hardware outputs on a pad now (0 when stopped).</summary>
        public static int PwmHardwareFrequency(int gpio)
        {
            lock (Sync)
            {
                return s_pwm.TryGetValue(gpio, out PwmHardware hw) && hw.Running ? hw.Frequency : 0;
            }
        }

        internal static int PwmTimerOf(int gpio)
        {
            for (int n = 1; n <= 16; n++)
            {
                if (FunctionPin(0x00040000 + (n * 0x100)) == gpio)
                {
                    return (n - 1) / 2;
                }
            }

            return -1;
        }

        internal static PwmHardware PwmChannelFor(int gpio, int timer)
        {
            lock (Sync)
            {
                if (!s_pwm.TryGetValue(gpio, out PwmHardware hw))
                {
                    hw = new PwmHardware { Pin = gpio, Timer = timer };
                    s_pwm[gpio] = hw;
                }

                return hw;
            }
        }

        internal static void PwmStart(PwmHardware hw, int frequency, double duty)
        {
            lock (Sync)
            {
                PwmApplyLocked(hw, frequency, duty);
                hw.Configured = true;
                hw.Running = true;
                s_pwmStarted = true;
                PwmRoute(hw);
            }
        }

        internal static void PwmStop(PwmHardware hw)
        {
            lock (Sync)
            {
                PwmCloseSegment(hw);
                hw.Running = false;
                s_pwmStarted = false;
                PwmRoute(hw);
            }
        }

        internal static void PwmApply(PwmHardware hw, int frequency, double duty)
        {
            lock (Sync)
            {
                PwmApplyLocked(hw, frequency, duty);
                PwmRoute(hw);
            }
        }

        private static void PwmApplyLocked(PwmHardware hw, int frequency, double duty)
        {
            PwmCloseSegment(hw);
            hw.Frequency = frequency;
            hw.Duty = duty;
            hw.SegmentStart = s_now;
        }

        private static void PwmCloseSegment(PwmHardware hw)
        {
            hw.EdgesBefore += PwmSegmentEdges(hw, s_now);
            hw.SegmentStart = s_now;
        }

        private static long PwmSegmentEdges(PwmHardware hw, long until)
        {
            if (!hw.Running || hw.Duty <= 0 || hw.Frequency <= 0 || until <= hw.SegmentStart)
            {
                return 0;
            }

            // The LEDC output rises at the start of every period (hpoint 0).
            long periodNanos = 1000000000L / hw.Frequency;
            long elapsedNanos = (until - hw.SegmentStart) * 1000L;
            return ((elapsedNanos - 1) / periodNanos) + 1;
        }

        private static bool PwmLevel(PwmHardware hw, long micros)
        {
            if (!hw.Running || hw.Duty <= 0 || hw.Frequency <= 0)
            {
                return false;
            }

            long periodNanos = 1000000000L / hw.Frequency;
            long phase = ((micros - hw.SegmentStart) * 1000L) % periodNanos;
            return phase < (long)(periodNanos * hw.Duty);
        }

        private static void PwmRoute(PwmHardware hw)
        {
            PwmHardware captured = hw;
            RoutePeripheral(hw.Pin, "LEDC", t => PwmLevel(captured, t));
        }

        /// <summary>Rising edges the LEDC put on a pad since the board's reset.</summary>
        internal static long PwmEdges(int gpio)
        {
            return s_pwm.TryGetValue(gpio, out PwmHardware hw) ? hw.EdgesBefore + PwmSegmentEdges(hw, s_now) : 0;
        }
    }
}
