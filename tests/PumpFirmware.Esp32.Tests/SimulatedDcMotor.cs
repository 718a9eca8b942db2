namespace PumpFirmware.Esp32.Tests;

/// <summary>A DC gearmotor with an encoder, first order: speed follows gain × duty − load with
/// time constant tau; duty 0 is a short brake (faster decay). Counts are whole encoder edges.</summary>
internal sealed class SimulatedDcMotor(double countsPerSecondAtFullDuty, double tauSeconds, double brakeTauSeconds)
{
    private double _position;

    public double SpeedCountsPerSecond { get; private set; }

    /// <summary>Opposing load, in counts/s of speed lost at steady state.</summary>
    public double LoadCountsPerSecond { get; set; }

    public long Count => (long)Math.Floor(_position);

    /// <summary>Runs the motor for dt seconds at the duty given (permille), in 0.1 ms substeps.</summary>
    public void Run(int dutyPermille, double seconds)
    {
        const double h = 0.0001;
        for (double t = 0; t < seconds - 1e-12; t += h)
        {
            double target = Math.Max(0, (countsPerSecondAtFullDuty * dutyPermille / 1000.0) - LoadCountsPerSecond);
            double tau = dutyPermille == 0 ? brakeTauSeconds : tauSeconds;
            SpeedCountsPerSecond += (target - SpeedCountsPerSecond) * h / tau;
            _position += SpeedCountsPerSecond * h;
        }
    }
}
