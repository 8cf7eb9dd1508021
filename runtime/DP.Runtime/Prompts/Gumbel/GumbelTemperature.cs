using DP.Runtime.Experiments;

namespace DP.Runtime.Prompts.Gumbel;

/// <summary>
/// The Gumbel-softmax temperature and its annealing rule, applied after each optimizer step.
/// Compound (the authors' rule): τ ← max(τ·exp(−3e-5·step/10), τmin). Exponential: τ_t = max(τ0·exp(−r·t), τmin).
/// </summary>
public sealed class GumbelTemperature
{
    private const double CompoundRate = 3e-5 / 10;
    private readonly GumbelOptions _options;

    public GumbelTemperature(GumbelOptions options)
    {
        if (options.InitialTemperature <= 0) throw new ArgumentException($"method.gumbel.initial_temperature must be > 0, got {options.InitialTemperature}.");
        if (options.MinTemperature <= 0) throw new ArgumentException($"method.gumbel.min_temperature must be > 0, got {options.MinTemperature}.");
        if (options.Rate < 0) throw new ArgumentException($"method.gumbel.rate must be ≥ 0, got {options.Rate}.");
        _options = options;
        Value = options.InitialTemperature;
    }

    public double Value { get; set; }

    /// <summary>Anneals after optimizer step <paramref name="step"/> (1-based count of steps taken).</summary>
    public void Step(long step)
    {
        Value = _options.Schedule switch
        {
            GumbelSchedule.Compound => Math.Max(Value * Math.Exp(-CompoundRate * step), _options.MinTemperature),
            GumbelSchedule.Exponential => Math.Max(_options.InitialTemperature * Math.Exp(-_options.Rate * step), _options.MinTemperature),
            _ => throw new ArgumentOutOfRangeException(nameof(_options.Schedule), _options.Schedule, "Unknown Gumbel schedule."),
        };
    }
}
