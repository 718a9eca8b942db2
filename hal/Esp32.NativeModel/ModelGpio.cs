// Model of nanoFramework.System.Device.Gpio 1.1.62 over nf-interpreter's ESP32 GPIO natives.
// Upstream behaviour modelled (file:line at the revisions named in NativeBoard.cs):
//  - OpenPin(n) only reserves the pin (GpioController.cs:63-71, GpioPin.cs:43-54 NativeInit ->
//    cpu_gpio.cpp:220 CPU_GPIO_ReservePin); the managed mode field starts as Input
//    (GpioPin.cs:29) and the pad keeps its reset state.
//  - Write on a pin whose mode is not an output fails with CLR_E_INVALID_PARAMETER, i.e. an
//    ArgumentException in managed code (sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp:
//    303-314), although GpioPin.Write's doc comment says the value is latched.
//  - SetPinMode to any output mode drives the pin LOW before returning
//    (GpioPin.cpp:261-263 CPU_GPIO_EnableOutputPin(pin, GpioPinValue_Low, mode);
//    cpu_gpio.cpp:467-486), open-drain included: an active-low enable is asserted for as long
//    as it takes managed code to write High afterwards.
//  - SetPinMode to an input mode releases the pad (cpu_gpio.cpp:364-384), with the internal
//    pull of the mode; GPIO34-39 have no internal pulls (ESP32 datasheet), nano accepts the mode
//    anyway (cpu_gpio.cpp:565-578).
//  - Read returns gpio_get_level (cpu_gpio.cpp:270-273): the input buffer, which ESP-IDF's
//    GPIO_MODE_OUTPUT disables, so an output pin reads Low whatever it drives.
using System;
using PumpFirmware.Esp32.NativeModel;

namespace System.Device.Gpio
{
    public enum PinMode
    {
        Input,
        InputPullDown,
        InputPullUp,
        Output,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown,
    }

    public readonly struct PinValue
    {
        private readonly byte _value;

        private PinValue(byte value)
        {
            _value = value;
        }

        public static PinValue High { get { return new PinValue(1); } }

        public static PinValue Low { get { return new PinValue(0); } }

        public static implicit operator PinValue(int value) { return value == 0 ? Low : High; }

        public static implicit operator PinValue(bool value) { return value ? High : Low; }

        public static explicit operator byte(PinValue value) { return value._value; }

        public static explicit operator int(PinValue value) { return value._value; }

        public static explicit operator bool(PinValue value) { return value._value != 0; }

        public bool Equals(PinValue other) { return other._value == _value; }

        public override bool Equals(object obj) { return obj is PinValue other && Equals(other); }

        public static bool operator ==(PinValue a, PinValue b) { return a.Equals(b); }

        public static bool operator !=(PinValue a, PinValue b) { return !a.Equals(b); }

        public override int GetHashCode() { return _value.GetHashCode(); }

        public override string ToString() { return _value == 0 ? "Low" : "High"; }
    }

    public sealed class GpioController : IDisposable
    {
        private readonly System.Collections.Generic.Dictionary<int, GpioPin> _pins = new System.Collections.Generic.Dictionary<int, GpioPin>();

        public GpioController()
        {
        }

        public GpioPin OpenPin(int pinNumber)
        {
            GpioPin pin = new GpioPin(pinNumber);
            _pins[pinNumber] = pin;
            return pin;
        }

        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            GpioPin pin = new GpioPin(pinNumber);
            pin.SetPinMode(mode);
            _pins[pinNumber] = pin;
            return pin;
        }

        public void ClosePin(int pinNumber)
        {
            if (!_pins.TryGetValue(pinNumber, out GpioPin pin))
            {
                throw new InvalidOperationException();
            }

            pin.Dispose();
            _pins.Remove(pinNumber);
        }

        public PinValue Read(int pinNumber)
        {
            if (!_pins.TryGetValue(pinNumber, out GpioPin pin))
            {
                throw new InvalidOperationException();
            }

            return pin.Read();
        }

        public void Write(int pinNumber, PinValue value)
        {
            if (!_pins.TryGetValue(pinNumber, out GpioPin pin))
            {
                throw new InvalidOperationException();
            }

            pin.Write(value);
        }

        public void Dispose()
        {
            foreach (GpioPin pin in _pins.Values)
            {
                pin.Dispose();
            }

            _pins.Clear();
        }
    }

    public sealed class GpioPin : IDisposable
    {
        private readonly int _pinNumber;
        private PinMode _pinMode = PinMode.Input;
        private bool _disposed;

        internal GpioPin(int pinNumber)
        {
            if (!NativeBoard.ReservePin(pinNumber))
            {
                // GpioController.cs:98-110: Init() false -> InvalidOperationException.
                throw new InvalidOperationException();
            }

            _pinNumber = pinNumber;
            NativeBoard.Log("GpioController.OpenPin " + pinNumber);
        }

        public int PinNumber { get { return _pinNumber; } }

        public PinMode GetPinMode() { return _pinMode; }

        public void SetPinMode(PinMode value)
        {
            CheckDisposed();
            if (!NativeBoard.DriveModeSupported(_pinNumber, value))
            {
                throw new ArgumentException("pin mode not supported");
            }

            NativeBoard.Log("GpioPin.SetPinMode " + _pinNumber + " " + value);
            NativeBoard.ConfigureGpio(_pinNumber, value);
            _pinMode = value;
        }

        public PinValue Read()
        {
            CheckDisposed();
            return NativeBoard.ReadGpio(_pinNumber, _pinMode >= PinMode.Output) ? PinValue.High : PinValue.Low;
        }

        public void Write(PinValue value)
        {
            CheckDisposed();
            NativeBoard.Log("GpioPin.Write " + _pinNumber + " " + value);
            if (_pinMode < PinMode.Output)
            {
                // GpioPin.cpp:312-314: CLR_E_INVALID_PARAMETER.
                throw new ArgumentException("write to a pin that is not an output");
            }

            NativeBoard.WriteGpio(_pinNumber, (byte)value != 0);
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                // GpioPin.cpp DisposeNative: the pin goes back to input.
                NativeBoard.ConfigureGpio(_pinNumber, PinMode.Input);
                NativeBoard.ReleasePin(_pinNumber);
                _disposed = true;
            }
        }

        private void CheckDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException("GpioPin");
            }
        }
    }
}
