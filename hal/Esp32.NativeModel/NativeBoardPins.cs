// The board's pads: reservation, GPIO configuration, who drives each pad, and the level it has.
// A pad is driven by its GPIO output latch, by a peripheral routed to it (LEDC PWM, RMT), or
// not at all; an undriven pad takes its external resistor, else the internal pull of its mode
// (none on GPIO34-39), else the level the load pulls it to (the rig says which).
using System;
using System.Collections.Generic;
using System.Device.Gpio;

namespace PumpFirmware.Esp32.NativeModel
{
    public static partial class NativeBoard
    {
        /// <summary>External resistor on a pad.</summary>
        public enum Pull
        {
            /// <summary>None.</summary>
            None,
            /// <summary>To 3V3.</summary>
            Up,
            /// <summary>To GND.</summary>
            Down,
        }

        private sealed class PadState
        {
            public bool Reserved;
            public PinMode? Mode; // null: the reset state (input, no pull, as the ROM leaves it)
            public bool Latch;
            public Pull External;
            public bool? ExternalDrive;
            public bool FloatingLevel;
            public Func<long, bool> Peripheral;
            public string PeripheralName;
            public readonly List<(long Micros, bool High)> History = new List<(long, bool)>();
        }

        private static readonly Dictionary<int, PadState> s_pads = new Dictionary<int, PadState>();
        private static readonly Dictionary<int, int> s_functionPins = new Dictionary<int, int>();

        private static void ResetPins()
        {
            s_pads.Clear();
            s_functionPins.Clear();
        }

        private static PadState Pad(int gpio)
        {
            if (!s_pads.TryGetValue(gpio, out PadState pad))
            {
                pad = new PadState();
                s_pads[gpio] = pad;
                pad.History.Add((s_now, false));
                pad.History[0] = (s_now, LevelOf(pad, s_now));
            }

            return pad;
        }

        private static bool IsValidGpio(int gpio)
        {
            return gpio >= 0 && gpio <= 39 && gpio != 20 && gpio != 24 && (gpio < 28 || gpio > 31);
        }

        private static bool IsInputOnly(int gpio)
        {
            return gpio >= 34 && gpio <= 39;
        }

        internal static bool ReservePin(int gpio)
        {
            lock (Sync)
            {
                if (!IsValidGpio(gpio))
                {
                    return false;
                }

                PadState pad = Pad(gpio);
                if (pad.Reserved)
                {
                    return false;
                }

                pad.Reserved = true;
                return true;
            }
        }

        internal static void ReleasePin(int gpio)
        {
            lock (Sync)
            {
                Pad(gpio).Reserved = false;
            }
        }

        internal static bool DriveModeSupported(int gpio, PinMode mode)
        {
            // cpu_gpio.cpp:565-578 CPU_GPIO_DriveModeSupported.
            return IsValidGpio(gpio) && (IsInputOnly(gpio) ? mode <= PinMode.InputPullUp : mode <= PinMode.OutputOpenSourcePullDown);
        }

        internal static void ConfigureGpio(int gpio, PinMode mode)
        {
            lock (Sync)
            {
                SettleStepper();
                PadState pad = Pad(gpio);
                pad.Peripheral = null; // gpio_reset_pin routes the pad back to plain GPIO
                pad.PeripheralName = null;
                pad.Mode = mode;
                if (mode >= PinMode.Output)
                {
                    // cpu_gpio.cpp:483: CPU_GPIO_SetPinState(pinNumber, InitialState = Low).
                    pad.Latch = false;
                }

                Record(pad);
            }
        }

        internal static void WriteGpio(int gpio, bool high)
        {
            lock (Sync)
            {
                SettleStepper();
                PadState pad = Pad(gpio);
                pad.Latch = high;
                Record(pad);
            }
        }

        internal static bool ReadGpio(int gpio, bool isOutput)
        {
            lock (Sync)
            {
                if (isOutput)
                {
                    // gpio_get_level reads the input buffer, disabled in GPIO_MODE_OUTPUT.
                    return false;
                }

                return LevelOf(Pad(gpio), s_now);
            }
        }

        internal static void RoutePeripheral(int gpio, string name, Func<long, bool> level)
        {
            lock (Sync)
            {
                PadState pad = Pad(gpio);
                pad.Peripheral = level;
                pad.PeripheralName = name;
                Record(pad);
            }
        }

        internal static string PeripheralOn(int gpio)
        {
            lock (Sync)
            {
                return Pad(gpio).PeripheralName;
            }
        }

        internal static void SetFunctionPin(int function, int gpio)
        {
            lock (Sync)
            {
                s_functionPins[function] = gpio;
            }
        }

        internal static int FunctionPin(int function)
        {
            lock (Sync)
            {
                return s_functionPins.TryGetValue(function, out int gpio) ? gpio : -1;
            }
        }

        /// <summary>Power applied: the wiring is done, every pad's history starts from its level now.</summary>
        public static void PowerOn()
        {
            lock (Sync)
            {
                foreach (PadState pad in s_pads.Values)
                {
                    pad.History.Clear();
                    pad.History.Add((s_now, LevelOf(pad, s_now)));
                }
            }
        }

        /// <summary>Fits an external resistor to a pad (the wiring in hardware/).</summary>
        public static void SetExternalPull(int gpio, Pull pull)
        {
            lock (Sync)
            {
                SettleStepper();
                PadState pad = Pad(gpio);
                pad.External = pull;
                Record(pad);
            }
        }

        /// <summary>The level an undriven pad without pull resistors settles at (the load's own pull).</summary>
        public static void SetFloatingLevel(int gpio, bool high)
        {
            lock (Sync)
            {
                PadState pad = Pad(gpio);
                pad.FloatingLevel = high;
                Record(pad);
            }
        }

        /// <summary>Drives a pad from outside (a fault output, a switch); null releases it.</summary>
        public static void DriveExternally(int gpio, bool? high)
        {
            lock (Sync)
            {
                SettleStepper();
                PadState pad = Pad(gpio);
                pad.ExternalDrive = high;
                Record(pad);
            }
        }

        /// <summary>The level of a pad now (a voltmeter on it).</summary>
        public static bool LevelNow(int gpio)
        {
            lock (Sync)
            {
                return LevelOf(Pad(gpio), s_now);
            }
        }

        /// <summary>Every GPIO-level change of a pad (not peripheral waveforms), from its first use.</summary>
        public static IReadOnlyList<(long Micros, bool High)> LevelHistory(int gpio)
        {
            lock (Sync)
            {
                return Pad(gpio).History.ToArray();
            }
        }

        /// <summary>The pad's GPIO level at a past time (from its history).</summary>
        internal static bool HistoricLevel(int gpio, long micros)
        {
            PadState pad = Pad(gpio);
            bool level = pad.History[0].High;
            foreach (var (t, high) in pad.History)
            {
                if (t > micros)
                {
                    break;
                }

                level = high;
            }

            return level;
        }

        /// <summary>The pad's configured mode, or null in its reset state.</summary>
        public static PinMode? ModeOf(int gpio)
        {
            lock (Sync)
            {
                return Pad(gpio).Mode;
            }
        }

        private static void Record(PadState pad)
        {
            bool level = LevelOf(pad, s_now);
            var last = pad.History[pad.History.Count - 1];
            if (last.High != level || last.Micros > s_now)
            {
                pad.History.Add((s_now, level));
            }
        }

        private static bool LevelOf(PadState pad, long micros)
        {
            if (pad.Peripheral != null)
            {
                return pad.Peripheral(micros);
            }

            if (pad.Mode.HasValue && pad.Mode.Value >= PinMode.Output)
            {
                bool openDrain = pad.Mode.Value == PinMode.OutputOpenDrain || pad.Mode.Value == PinMode.OutputOpenDrainPullUp;
                if (!openDrain || !pad.Latch)
                {
                    return pad.Latch;
                }
            }

            if (pad.ExternalDrive.HasValue)
            {
                return pad.ExternalDrive.Value;
            }

            if (pad.External == Pull.Up)
            {
                return true;
            }

            if (pad.External == Pull.Down)
            {
                return false;
            }

            int gpio = -1;
            foreach (var kv in s_pads)
            {
                if (ReferenceEquals(kv.Value, pad))
                {
                    gpio = kv.Key;
                }
            }

            if (pad.Mode.HasValue && !IsInputOnly(gpio))
            {
                if (pad.Mode.Value == PinMode.InputPullUp || pad.Mode.Value == PinMode.OutputOpenDrainPullUp)
                {
                    return true;
                }

                if (pad.Mode.Value == PinMode.InputPullDown)
                {
                    return false;
                }
            }

            return pad.FloatingLevel;
        }
    }
}
