// The device-only SELFTEST command, for the bench bring-up (hardware/BRINGUP.md). It measures,
// with the motor driver held DISABLED (nothing moves), what the bring-up steps need and answers
// in one status line:
//   OK enable_idle=HIGH fault=QUIET step_loop=40/40 flash_block=63/63 flash_us=48000
//      rtc=UNKNOWN occlusion=0 battery_low=0
//  - enable_idle: the ENABLE line read back while released (HIGH = driver off, as it must be;
//    LOW = the pull-up is missing and the carrier's pull-down would let the driver run);
//    STBY for build B (LOW as it must be).
//  - fault: the driver's fault line now (QUIET, ASSERTED, or NONE without one).
//  - step_loop=counted/sent: a 1 kHz train of pulses on STEP counted back by a PCNT unit on
//    STEP_SENSE (the jumper must be fitted); build B reports encoder=counts in 1 s instead.
//  - flash_block=counted/sent and flash_us: the largest step block the generator accepts, sent
//    while a 4 kB file is written to the internal drive (a flash write holds off every interrupt
//    handler not in IRAM), counted back; counted must equal sent (a stale RMT refill would add
//    pulses) - and how long the write took.
//  - rtc: the off-time clock's seconds, or UNKNOWN.
// Only while STOPPED and with the driver off (ERR 409 otherwise). Not in the virtual device:
// the ESP32 build registers it as the command processor's extension.
using System.Device.Gpio;
using PumpFirmware.App;
using PumpFirmware.Protocol;
using PumpFirmware.Therapy;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>SELFTEST: bench measurements with the motor held off.</summary>
    public sealed class Esp32SelfTest : ICommandExtension
    {
        private const int LoopPulses = 40;
        private const int LoopIntervalMicros = 1000;
        private const string ScratchPath = "I:\\selftest.bin";

        private readonly PumpApplication _app;
        private readonly Esp32StepperDriver _stepper;
        private readonly IDigitalInput _fault;
        private readonly IStepGenerator _steps;
        private readonly IStepFeedback _feedback;
        private readonly GpioPulseCounter _loopCounter;
        private readonly Logic.IFileSystem _files;
        private readonly bool _dcHead;
        private readonly byte[] _scratch = new byte[4096];
        private ISleeper _sleeper = new ThreadSleeper();

        /// <summary>Creates the command for one build.</summary>
        /// <param name="app">The application (state, clocks, inputs).</param>
        /// <param name="stepper">Build A's driver, or null (build B).</param>
        /// <param name="fault">The fault line, or null.</param>
        /// <param name="steps">The step generator.</param>
        /// <param name="feedback">The step feedback (counts the loop-back on the LEDC path, the encoder on build B).</param>
        /// <param name="loopCounter">A PCNT unit on STEP_SENSE (RMT build), or null when the generator itself counts STEP_SENSE.</param>
        /// <param name="files">The internal drive.</param>
        public Esp32SelfTest(PumpApplication app, Esp32StepperDriver stepper, IDigitalInput fault, IStepGenerator steps, IStepFeedback feedback, GpioPulseCounter loopCounter, Logic.IFileSystem files)
        {
            _app = app;
            _stepper = stepper;
            _fault = fault;
            _steps = steps;
            _feedback = feedback;
            _loopCounter = loopCounter;
            _files = files;
            _dcHead = stepper == null;
        }

        /// <summary>How the test waits (Thread.Sleep on the board; the model's clock in host tests).</summary>
        public ISleeper Sleeper
        {
            get { return _sleeper; }
            set { _sleeper = value; }
        }

        /// <inheritdoc />
        public bool TryHandle(RequestLine request, StatusReply reply)
        {
            if (!request.Is(0, "SELFTEST"))
            {
                return false;
            }

            if (_app.Controller.State != TherapyState.Stopped || _app.Hardware.Driver.IsEnabled || _steps.PendingSteps > 0)
            {
                reply.SendError(409, "SELFTEST only while STOPPED");
                return true;
            }

            _app.Hardware.Driver.Disable();
            LineWriter w = reply.Line;
            string enableIdle;
            if (_dcHead)
            {
                enableIdle = "N/A";
            }
            else
            {
                enableIdle = _stepper.EnableLineReadsHigh ? "HIGH" : "LOW";
            }

            string fault = _fault == null ? "NONE" : (_fault.IsAsserted ? "ASSERTED" : "QUIET");
            long loopCounted = -1;
            long encoderCounts = -1;
            if (_dcHead)
            {
                long before = _feedback.ConfirmedSteps;
                _sleeper.SleepMicros(1000000);
                encoderCounts = _feedback.ConfirmedSteps - before;
            }
            else
            {
                loopCounted = CountBack(LoopPulses, LoopIntervalMicros, false);
            }

            long flashCounted = -1;
            long flashMicros = -1;
            int block = _steps.MaxBlockSteps;
            int interval = 1000000 / Esp32Settings.MaxStepsPerSecond;
            if (!_dcHead)
            {
                flashCounted = CountBack(block, interval, true);
                flashMicros = _lastFlashMicros;
            }

            long rtcSeconds;
            bool rtcKnown = _app.Hardware.OffTimeClock.TryReadSeconds(out rtcSeconds);
            reply.Ok();
            w.AppendField("enable_idle", enableIdle);
            w.AppendField("fault", fault);
            if (_dcHead)
            {
                w.AppendField("encoder", encoderCounts);
            }
            else
            {
                w.AppendField("step_loop", Ratio(loopCounted, LoopPulses));
                w.AppendField("flash_block", Ratio(flashCounted, block));
                w.AppendField("flash_us", flashMicros);
            }

            if (rtcKnown)
            {
                w.AppendField("rtc", rtcSeconds);
            }
            else
            {
                w.AppendField("rtc", "UNKNOWN");
            }

            w.AppendField("occlusion", _app.Hardware.Occlusion.IsAsserted ? 1 : 0);
            w.AppendField("battery_low", _app.Hardware.LowBattery.IsAsserted ? 1 : 0);
            reply.Send();
            return true;
        }

        private long _lastFlashMicros;

        private static string Ratio(long counted, int sent)
        {
            return counted < 0 ? "N/A" : counted.ToString() + "/" + sent.ToString();
        }

        // Sends a block with the driver off and counts the pulses that came back on STEP_SENSE.
        private long CountBack(int pulses, int intervalMicros, bool withFlashWrite)
        {
            long before = _loopCounter != null ? _loopCounter.Read().Count : _feedback.ConfirmedSteps;
            if (!_steps.TryIssue(pulses, intervalMicros))
            {
                return -1;
            }

            if (withFlashWrite)
            {
                long start = _app.Hardware.Clock.NowMicros;
                _files.WriteNew(ScratchPath, _scratch, 0, _scratch.Length);
                _lastFlashMicros = _app.Hardware.Clock.NowMicros - start;
                _files.Delete(ScratchPath);
            }

            for (int i = 0; i < 200 && _steps.PendingSteps > 0; i++)
            {
                _sleeper.SleepMicros(10000);
            }

            _sleeper.SleepMicros(20000);
            long after = _loopCounter != null ? _loopCounter.Read().Count : _feedback.ConfirmedSteps;
            return after - before;
        }
    }
}
