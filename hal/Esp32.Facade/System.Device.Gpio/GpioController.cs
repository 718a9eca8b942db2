// Facade of nanoFramework.System.Device.Gpio 1.1.62 (reference only; bodies throw null).
using System;

namespace System.Device.Gpio
{
    public sealed class GpioController : IDisposable
    {
        public GpioController() { throw null; }

        public GpioPin OpenPin(int pinNumber) { throw null; }

        public GpioPin OpenPin(int pinNumber, PinMode mode) { throw null; }

        public void ClosePin(int pinNumber) { throw null; }

        public PinValue Read(int pinNumber) { throw null; }

        public void Write(int pinNumber, PinValue value) { throw null; }

        public void Dispose() { throw null; }
    }
}
