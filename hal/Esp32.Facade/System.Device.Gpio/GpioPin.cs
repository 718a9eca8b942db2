// Facade of nanoFramework.System.Device.Gpio 1.1.62 (reference only; bodies throw null).
using System;

namespace System.Device.Gpio
{
    public sealed class GpioPin : IDisposable
    {
        private GpioPin() { throw null; }

        public int PinNumber { get { throw null; } }

        public PinMode GetPinMode() { throw null; }

        public void SetPinMode(PinMode value) { throw null; }

        public PinValue Read() { throw null; }

        public void Write(PinValue value) { throw null; }

        public void Dispose() { throw null; }
    }
}
