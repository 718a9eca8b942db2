// Fail closed on a driver fault without waiting for the main loop: a high-priority thread
// samples the fault line every 10 ms (nanoFramework's timer resolution on the ESP32) and, when
// it is asserted, disables the power stage and drops queued steps. The core learns of it from
// the step feedback (steps no longer confirmed) and raises STALL.
using System.Threading;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>Watches a fault input and disables the motor the moment it asserts.</summary>
    public sealed class Esp32FaultMonitor
    {
        private const int PeriodMillis = 10;
        private readonly IDigitalInput _fault;
        private readonly IMotorDriver _motor;
        private readonly IStepGenerator _generator;
        private readonly Thread _thread;
        private int _trips;
        private bool _stopped; // read once per pass; the pass sleeps, so no caching across passes

        /// <summary>Starts the monitor thread.</summary>
        public Esp32FaultMonitor(IDigitalInput fault, IMotorDriver motor, IStepGenerator generator)
        {
            _fault = fault;
            _motor = motor;
            _generator = generator;
            _thread = new Thread(Run);
            _thread.Priority = ThreadPriority.AboveNormal;
            _thread.Start();
        }

        /// <summary>How many times the monitor disabled the motor.</summary>
        public int Trips
        {
            get { return _trips; }
        }

        /// <summary>Ends the thread after its current pass (host tests; the device never stops it).</summary>
        public void Stop()
        {
            _stopped = true;
        }

        private void Run()
        {
            while (!_stopped)
            {
                if (_fault.IsAsserted && _motor.IsEnabled)
                {
                    _motor.Disable();
                    _generator.Abort();
                    _trips++;
                }

                Thread.Sleep(PeriodMillis);
            }
        }
    }
}
