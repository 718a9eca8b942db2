// Facade of nanoFramework.Hardware.Esp32 1.6.40 (reference only; bodies throw null).
// The package puts the PCNT pulse counter in the System.Device.Gpio namespace.
using System;

namespace System.Device.Gpio
{
    public sealed class GpioPulseCounter : IDisposable
    {
        public GpioPulseCounter(int pinNumberA, int pinNumberB = -1) { throw null; }

        public bool IsStarted { get { throw null; } }

        public GpioPulsePolarity Polarity { get { throw null; } set { throw null; } }

        public ushort FilterPulses { get { throw null; } set { throw null; } }

        public GpioPulseCount Read() { throw null; }

        public GpioPulseCount Reset() { throw null; }

        public void Start() { throw null; }

        public void Stop() { throw null; }

        public void Dispose() { throw null; }
    }
}
