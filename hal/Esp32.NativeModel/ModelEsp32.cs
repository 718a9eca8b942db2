// Model of nanoFramework.Hardware.Esp32 1.6.40 (Configuration, HighResTimer, the PCNT pulse
// counter) over nf-interpreter's ESP32 natives.
//  - Configuration.SetPinFunction records which pad a device function uses; PwmChannel and the
//    serial port look it up (Esp32_GetMappedDevicePinsWithFunction, used at
//    sys_dev_pwm_native_System_Device_Pwm_PwmChannel.cpp:495-505).
//  - HighResTimer is an esp_timer whose expiry is posted to the CLR's event queue; the model
//    runs the handler at the due time, after any flash write that is in progress (esp_timer's
//    task cannot run while the cache is off).
//  - GpioPulseCounter: a PCNT unit with an IRAM overflow handler extending it to 64 bits
//    (nanoFramework_hardware_esp32_native_System_Device_Gpio_GpioPulseCounter.cpp:42-60); Start
//    clears the count (same file, :434); Read returns the count since Start. It counts the
//    rising edges that really reached its pad, whatever drove them.
using System;
using PumpFirmware.Esp32.NativeModel;

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        COM2_TX = 0x00030200,
        COM2_RX = 0x00030201,
        PWM1 = 0x00040100,
        PWM2 = 0x00040200,
        PWM3 = 0x00040300,
        PWM4 = 0x00040400,
        I2C1_DATA = 0x00020100,
        I2C1_CLOCK = 0x00020101,
    }

    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
            NativeBoard.Log("Configuration.SetPinFunction " + pin + " " + value);
            NativeBoard.SetFunctionPin((int)value, pin);
        }

        public static int GetFunctionPin(DeviceFunction function)
        {
            return NativeBoard.FunctionPin((int)function);
        }
    }

    public delegate void HighResTimerExpiredEventHandler(HighResTimer sender, object e);

    public class HighResTimer : IDisposable
    {
        private readonly NativeBoard.ScheduledTimer _timer;
        private HighResTimerExpiredEventHandler _handlers;

        public HighResTimer()
        {
            _timer = NativeBoard.AddTimer(Raise);
        }

        public event HighResTimerExpiredEventHandler OnHighResTimerExpired
        {
            add { _handlers += value; }
            remove { _handlers -= value; }
        }

        /// <summary>µs since boot.</summary>
        public static ulong GetCurrent()
        {
            return (ulong)NativeBoard.NowMicros;
        }

        public void Stop()
        {
            lock (NativeBoard.Sync)
            {
                _timer.Armed = false;
            }
        }

        public void StartOneShot(ulong timeout_us)
        {
            lock (NativeBoard.Sync)
            {
                _timer.PeriodMicros = 0;
                _timer.DueMicros = NativeBoard.NowMicros + (long)timeout_us;
                _timer.Armed = true;
            }
        }

        public void StartOnePeriodic(ulong period_us)
        {
            if (period_us == 0)
            {
                throw new ArgumentException("period");
            }

            lock (NativeBoard.Sync)
            {
                _timer.PeriodMicros = (long)period_us;
                _timer.DueMicros = NativeBoard.NowMicros + (long)period_us;
                _timer.Armed = true;
            }
        }

        public void Dispose()
        {
            Stop();
        }

        private void Raise()
        {
            HighResTimerExpiredEventHandler handlers = _handlers;
            if (handlers != null)
            {
                handlers(this, null);
            }
        }
    }
}

namespace System.Device.Gpio
{
    public enum GpioPulsePolarity
    {
        Both,
        Falling,
        Rising,
    }

    public struct GpioPulseCount
    {
        public long Count;

        public TimeSpan RelativeTime;
    }

    public sealed class GpioPulseCounter : IDisposable
    {
        private readonly int _pinA;
        private bool _started;
        private long _base;
        private GpioPulsePolarity _polarity = GpioPulsePolarity.Both;
        private ushort _filter;

        public GpioPulseCounter(int pinNumberA, int pinNumberB = -1)
        {
            _pinA = pinNumberA;
            NativeBoard.Log("GpioPulseCounter " + pinNumberA);
        }

        public bool IsStarted { get { return _started; } }

        public GpioPulsePolarity Polarity { get { return _polarity; } set { _polarity = value; } }

        public ushort FilterPulses { get { return _filter; } set { _filter = value; } }

        public GpioPulseCount Read()
        {
            GpioPulseCount count = new GpioPulseCount();
            count.Count = _started ? Edges() - _base : 0;
            count.RelativeTime = TimeSpan.FromTicks(NativeBoard.NowMicros * 10);
            return count;
        }

        public GpioPulseCount Reset()
        {
            GpioPulseCount count = Read();
            _base = Edges();
            return count;
        }

        public void Start()
        {
            _base = Edges();
            _started = true;
        }

        public void Stop()
        {
            _started = false;
        }

        public void Dispose()
        {
            _started = false;
        }

        private long Edges()
        {
            long rising = NativeBoard.RisingEdgesAt(_pinA);
            return _polarity == GpioPulsePolarity.Both ? 2 * rising : rising;
        }
    }
}
