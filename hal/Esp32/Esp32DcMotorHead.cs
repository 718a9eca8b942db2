// A DC-motor peristaltic head through a TB6612FNG H-bridge (PWM on PWMA, direction on
// AIN1/AIN2, STBY to enable), with its encoder counted by PCNT. Encoder counts are the "steps"
// the core plans; the pure DcSpeedLoop (tested on the host against a simulated motor) turns
// "n counts, one every I µs" into a duty, run from a periodic HighResTimer. Forward only:
// AIN1 high, AIN2 low; PWM low then means short brake (TB6612FNG truth table).
// Fail closed: a 10 kΩ pull-down holds STBY low from reset; opening it as an output drives it
// low at once (nanoFramework drives every pin it makes an output low first: nf-interpreter
// sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp:261-263, cpu_gpio.cpp:467-486), which for
// an active-high STBY is the safe level - and a pin must never be written before it is an
// output (GpioPin.cpp:303-314 refuses a write to an input). Disable() drops STBY and the PWM at
// once, and the encoder is the stall feedback: a jammed head stops counting, and the core
// raises STALL.
// A DRV8871 has no STBY: wire its IN1 to the PWM pin and IN2 low and leave DcStandbyGpio
// unconnected; its internal pull-downs coast the motor in reset (check its datasheet).
using System.Device.Gpio;
using System.Device.Pwm;
using nanoFramework.Hardware.Esp32;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IMotorDriver, IStepGenerator and IStepFeedback for a DC head with an encoder.</summary>
    public sealed class Esp32DcMotorHead : IMotorDriver, IStepGenerator, IStepFeedback
    {
        private readonly GpioPin _standby;
        private readonly GpioPin _in1;
        private readonly GpioPin _in2;
        private readonly PwmChannel _pwm;
        private readonly GpioPulseCounter _encoder;
        private readonly HighResTimer _timer;
        private readonly IMonotonicClock _clock;
        private readonly DcSpeedLoop _loop;
        private readonly object _lock = new object();
        private bool _enabled;
        private int _appliedDutyPermille;

        /// <summary>Opens the pins with the bridge in standby and the PWM at 0.</summary>
        public Esp32DcMotorHead(GpioController controller, int pwmGpio, int in1Gpio, int in2Gpio, int standbyGpio, int encoderGpio, IMonotonicClock clock)
        {
            _clock = clock;
            _standby = controller.OpenPin(standbyGpio, PinMode.Output); // low: standby
            _in1 = controller.OpenPin(in1Gpio, PinMode.Output);
            _in1.Write(PinValue.High);
            _in2 = controller.OpenPin(in2Gpio, PinMode.Output);
            _in2.Write(PinValue.Low);
            Configuration.SetPinFunction(pwmGpio, DeviceFunction.PWM2);
            _pwm = PwmChannel.CreateFromPin(pwmGpio, Esp32Settings.DcPwmFrequencyHz, 0);
            PwmOutput.Apply(_pwm, Esp32Settings.DcPwmFrequencyHz, 0);
            _encoder = new GpioPulseCounter(encoderGpio);
            _encoder.Polarity = GpioPulsePolarity.Rising;
            _encoder.Start();
            _loop = new DcSpeedLoop(
                Esp32Settings.DcFeedforwardPermillePerKiloCps,
                Esp32Settings.DcKpPermillePerCount,
                Esp32Settings.DcKiPermillePerCountSecond,
                Esp32Settings.DcMaxDutyPermille,
                Esp32Settings.DcStallTimeoutMicros,
                Esp32Settings.DcHoldMicros);
            _timer = new HighResTimer();
            _timer.OnHighResTimerExpired += OnTimer;
            _timer.StartOnePeriodic((ulong)Esp32Settings.DcLoopPeriodMicros);
        }

        /// <inheritdoc />
        public bool IsEnabled
        {
            get { return _enabled; }
        }

        /// <inheritdoc />
        public int MaxBlockSteps
        {
            get { return Esp32Settings.MaxBlockSteps; }
        }

        /// <inheritdoc />
        public int PendingSteps
        {
            get
            {
                lock (_lock)
                {
                    return _loop.PendingCounts(_encoder.Read().Count);
                }
            }
        }

        /// <inheritdoc />
        public long ConfirmedSteps
        {
            get
            {
                lock (_lock)
                {
                    return _loop.ConfirmedCounts(_encoder.Read().Count);
                }
            }
        }

        /// <inheritdoc />
        public void Enable()
        {
            lock (_lock)
            {
                _standby.Write(PinValue.High);
                _enabled = true;
            }
        }

        /// <inheritdoc />
        public void Disable()
        {
            lock (_lock)
            {
                SetDuty(0);
                _standby.Write(PinValue.Low);
                _enabled = false;
            }
        }

        /// <inheritdoc />
        public bool TryIssue(int steps, int intervalMicros)
        {
            lock (_lock)
            {
                if (steps > Esp32Settings.MaxBlockSteps)
                {
                    return false;
                }

                return _loop.TryStart(steps, intervalMicros, _encoder.Read().Count, _clock.NowMicros);
            }
        }

        /// <inheritdoc />
        public void Abort()
        {
            lock (_lock)
            {
                _loop.Abort();
                SetDuty(0);
            }
        }

        private void OnTimer(HighResTimer sender, object e)
        {
            lock (_lock)
            {
                int duty = _loop.Update(_encoder.Read().Count, _clock.NowMicros);
                SetDuty(_enabled ? duty : 0);
            }
        }

        // The duty reaches the pin only through PwmOutput.Apply (one isStarted flag for every
        // PWM channel: the buzzer's silence must not freeze the motor's duty).
        private void SetDuty(int dutyPermille)
        {
            if (dutyPermille != _appliedDutyPermille)
            {
                PwmOutput.Apply(_pwm, Esp32Settings.DcPwmFrequencyHz, dutyPermille / 1000.0);
                _appliedDutyPermille = dutyPermille;
            }
        }
    }
}
