// A behavioural model of the nanoFramework native layer on an ESP32, for host tests.
//
// The files in this folder implement the very types hal/Esp32.Facade mirrors (same namespaces,
// same public surface; a test compares the two by reflection), but with bodies that behave as
// nanoFramework's native code does, surprises included. Each behaviour cites the upstream file
// and line it follows. The citations are to these upstream revisions:
//   nf-interpreter  main @ a3e8139a1 (2026-07-24); the native files cited are unchanged since
//                   the pinned firmware 1.17.0.25 (docs/DEVICE.md) and carry the native versions
//                   the pinned packages declare;
//   managed packages at the tags named in hal/Esp32.Facade/FacadeVersions.md;
//   ESP-IDF         components/driver/deprecated/rmt_legacy.c (the legacy RMT driver the
//                   nanoFramework RMT natives call).
// Where the upstream code leaves the hardware's reaction open (what the silicon does), the
// model takes the reading that is worse for the pump and says so; docs/DEVICE.md lists what
// only a board can settle.
//
// This class is the board: virtual time (µs), one lock for all native state, the scheduler of
// native events (esp_timer callbacks, the DC motor's physics), the flash (littlefs writes stall
// the CPU and every interrupt handler not in IRAM) and the circuit around the ESP32 (pull
// resistors, the STEP->STEP_SENSE jumper, the stepper driver, the DC motor and its encoder).
// Everything is static because the facade's static APIs (Configuration, HighResTimer, File,
// PwmChannel.CreateFromPin) have no instance to hang state on; tests that use the model run in
// one non-parallel collection and call Reset first.
using System;
using System.Collections.Generic;

namespace PumpFirmware.Esp32.NativeModel
{
    /// <summary>The simulated ESP32 board under the nanoFramework natives.</summary>
    public static partial class NativeBoard
    {
        internal static readonly object Sync = new object();
        private static long s_now;
        private static readonly List<ScheduledTimer> s_timers = new List<ScheduledTimer>();
        private static readonly List<(long Start, long End)> s_flashBusy = new List<(long, long)>();
        private static readonly List<string> s_calls = new List<string>();

        /// <summary>Virtual µs since the last reset (what HighResTimer.GetCurrent returns).</summary>
        public static long NowMicros { get { lock (Sync) { return s_now; } } }

        /// <summary>Every native call the model saw, in order ("GpioPin.Write 27 High", ...).</summary>
        public static IReadOnlyList<string> Calls { get { lock (Sync) { return s_calls.ToArray(); } } }

        /// <summary>Reboots requested through Power.RebootDevice.</summary>
        public static int RebootRequests { get; internal set; }

        /// <summary>Virtual time one yielding main-loop pass (Thread.Sleep(0) after a Poll) takes, µs:
        /// a model assumption (a Poll on the ESP32 is estimated well under 1 ms).</summary>
        public static long PollPassMicros { get; set; } = 1000;

        /// <summary>Time between the managed call and the native start of an RMT transmission, µs.
        /// 0 by default; a test sets it to stand for a GC pause or a thread switch between the
        /// adapter's clock read and SendData (nanoFramework threads switch every 20 ms).</summary>
        public static long RmtDispatchDelayMicros { get; set; }

        /// <summary>Forgets every pin, channel, file, timer and time: a freshly powered board.</summary>
        public static void Reset()
        {
            lock (Sync)
            {
                s_now = 0;
                s_timers.Clear();
                s_flashBusy.Clear();
                s_calls.Clear();
                RebootRequests = 0;
                PollPassMicros = 1000;
                RmtDispatchDelayMicros = 0;
                ResetPins();
                ResetPwm();
                ResetRmt();
                ResetUart();
                ResetFiles();
                ResetI2c();
                ResetRig();
                ResetAdc();
            }
        }

        /// <summary>Lets <paramref name="micros"/> of virtual time pass: timers fire at their due
        /// time (after any flash write in progress), the motor turns, the UART drains.</summary>
        public static void Advance(long micros)
        {
            if (micros < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(micros));
            }

            long end;
            lock (Sync)
            {
                end = s_now + micros;
            }

            while (true)
            {
                ScheduledTimer due = null;
                long step;
                lock (Sync)
                {
                    long next = end;
                    foreach (ScheduledTimer t in s_timers)
                    {
                        if (t.Armed && t.DueMicros < next)
                        {
                            next = t.DueMicros;
                            due = t;
                        }
                    }

                    if (due != null && due.DueMicros <= end)
                    {
                        next = due.DueMicros;
                    }
                    else
                    {
                        due = null;
                    }

                    step = next - s_now;
                    AdvancePhysics(step);
                    s_now = next;
                    if (due != null)
                    {
                        due.Fired();
                    }
                }

                if (due != null)
                {
                    // esp_timer callbacks reach managed code through the CLR's event queue; the
                    // model runs the handler on the advancing thread at the due time.
                    due.Raise();
                    continue;
                }

                if (s_now >= end)
                {
                    return;
                }
            }
        }

        /// <summary>True while a flash write is in progress at <paramref name="micros"/>.</summary>
        internal static bool FlashBusyAt(long micros)
        {
            foreach (var (start, stop) in s_flashBusy)
            {
                if (micros >= start && micros < stop)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>When an interrupt handler that is not in IRAM, due at <paramref name="micros"/>,
        /// really runs: at once, or when the flash write that disabled the cache ends.</summary>
        internal static long NonIramIsrRunsAt(long micros)
        {
            long t = micros;
            bool moved = true;
            while (moved)
            {
                moved = false;
                foreach (var (start, stop) in s_flashBusy)
                {
                    if (t >= start && t < stop)
                    {
                        t = stop;
                        moved = true;
                    }
                }
            }

            return t;
        }

        /// <summary>A flash operation of <paramref name="micros"/>: the CPU (the calling managed
        /// thread) is stalled, esp_timer callbacks and non-IRAM interrupts wait, hardware runs on.</summary>
        internal static void FlashOperation(long micros)
        {
            long start;
            lock (Sync)
            {
                start = s_now;
                s_flashBusy.Add((start, start + micros));
                foreach (ScheduledTimer t in s_timers)
                {
                    if (t.Armed && t.DueMicros < start + micros)
                    {
                        t.DueMicros = start + micros;
                    }
                }
            }

            Advance(micros);
        }

        internal static void Log(string call)
        {
            lock (Sync)
            {
                if (s_calls.Count < 200000)
                {
                    s_calls.Add(call);
                }
            }
        }

        internal static ScheduledTimer AddTimer(Action raise)
        {
            var timer = new ScheduledTimer(raise);
            lock (Sync)
            {
                s_timers.Add(timer);
            }

            return timer;
        }

        /// <summary>One esp_timer of a HighResTimer.</summary>
        internal sealed class ScheduledTimer
        {
            private readonly Action _raise;

            public ScheduledTimer(Action raise)
            {
                _raise = raise;
            }

            public bool Armed;
            public long DueMicros;
            public long PeriodMicros;

            public void Fired()
            {
                if (PeriodMicros > 0)
                {
                    DueMicros += PeriodMicros;
                }
                else
                {
                    Armed = false;
                }
            }

            public void Raise()
            {
                _raise();
            }
        }
    }
}
