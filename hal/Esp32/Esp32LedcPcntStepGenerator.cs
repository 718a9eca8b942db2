// STEP pulses from an LEDC PWM channel at the step rate, for a board whose RMT channels are
// taken. The STEP line is jumpered into a PCNT unit (PinMap.StepperStepSenseGpio), so every
// pulse that really left the pin is counted; a periodic HighResTimer polls the count and the
// pure PwmPcntStopController decides the frequency and when to stop (tested on the host).
// nanoFramework's PCNT API cannot stop the PWM in hardware at a count, so the stop is as exact
// as the poll latency allows: the last steps run slowly, and any overshoot is credited against
// the next block (see PwmPcntStopController). The RMT generator is the primary path.
using System.Device.Gpio;
using System.Device.Pwm;
using nanoFramework.Hardware.Esp32;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IStepGenerator and IStepFeedback on LEDC PWM plus a PCNT counter on the looped-back STEP line.</summary>
    public sealed class Esp32LedcPcntStepGenerator : IStepGenerator, IStepFeedback
    {
        private readonly PwmChannel _pwm;
        private readonly GpioPulseCounter _counter;
        private readonly HighResTimer _timer;
        private readonly IDigitalInput _fault;
        private readonly PwmPcntStopController _controller = new PwmPcntStopController(Esp32Settings.PcntPollLatencyMicros);
        private readonly StepConfirmation _confirmation = new StepConfirmation();
        private readonly object _lock = new object();
        private bool _pwmRunning;
        private int _pwmFrequencyHz;

        /// <summary>Sets up the PWM on STEP (stopped) and the counter on STEP_SENSE.</summary>
        /// <param name="stepGpio">STEP pin (PWM output).</param>
        /// <param name="stepSenseGpio">Pin jumpered to STEP, counted by PCNT on rising edges.</param>
        /// <param name="fault">The driver's fault line, or null.</param>
        public Esp32LedcPcntStepGenerator(int stepGpio, int stepSenseGpio, IDigitalInput fault)
        {
            _fault = fault;
            Configuration.SetPinFunction(stepGpio, DeviceFunction.PWM1);
            _pwm = PwmChannel.CreateFromPin(stepGpio, 1000, 0);
            PwmOutput.Apply(_pwm, 1000, 0); // running at duty 0: STEP low (never Stop(): see PwmOutput)
            _counter = new GpioPulseCounter(stepSenseGpio);
            _counter.Polarity = GpioPulsePolarity.Rising;
            _counter.Start();
            _timer = new HighResTimer();
            _timer.OnHighResTimerExpired += OnTimer;
            _timer.StartOnePeriodic((ulong)Esp32Settings.ControlPeriodMicros);
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
                    return _controller.PendingSteps(_counter.Read().Count);
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
                    return _confirmation.Observe(_controller.ReportableCount(_counter.Read().Count), _fault != null && _fault.IsAsserted);
                }
            }
        }

        /// <inheritdoc />
        public bool TryIssue(int steps, int intervalMicros)
        {
            lock (_lock)
            {
                if (steps > Esp32Settings.MaxBlockSteps || !_controller.TryStart(steps, intervalMicros, _counter.Read().Count))
                {
                    return false;
                }

                Apply(_controller.FrequencyHz);
                return true;
            }
        }

        /// <inheritdoc />
        public void Abort()
        {
            lock (_lock)
            {
                _controller.Abort();
                Apply(0);
            }
        }

        private void OnTimer(HighResTimer sender, object e)
        {
            lock (_lock)
            {
                if (_controller.IsRunning)
                {
                    Apply(_controller.Poll(_counter.Read().Count));
                }
            }
        }

        private void Apply(int frequencyHz)
        {
            // Every change goes through PwmOutput.Apply: with one isStarted flag for all PWM
            // channels, a plain Frequency change would not reach the LEDC after the buzzer's
            // silence, and the slow approach (and so the exact stop) would be lost.
            if (frequencyHz <= 0)
            {
                if (_pwmRunning)
                {
                    PwmOutput.Apply(_pwm, _pwmFrequencyHz > 0 ? _pwmFrequencyHz : 1000, 0);
                    _pwmRunning = false;
                }

                return;
            }

            if (frequencyHz != _pwmFrequencyHz || !_pwmRunning)
            {
                PwmOutput.Apply(_pwm, frequencyHz, 0.5);
                _pwmFrequencyHz = frequencyHz;
                _pwmRunning = true;
            }
        }
    }
}
