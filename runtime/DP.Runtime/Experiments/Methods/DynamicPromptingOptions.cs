namespace DP.Runtime.Experiments;

/// <summary>
/// Dynamic prompting (Yang et al.): prompt tuning whose position, length and vectors are chosen per task or per
/// instance with straight-through Gumbel-softmax. With position prefix, fixed length and no pool it is prompt tuning.
/// </summary>
public sealed class DynamicPromptingOptions() : PromptTuningOptions(MethodKind.Dynamic)
{
    public PositionPolicy Position { get; set; } = PositionPolicy.Instance;

    public LengthPolicy Length { get; set; } = LengthPolicy.Fixed;

    public PoolOptions Pool { get; set; } = new();

    public GumbelOptions Gumbel { get; set; } = new();

    /// <summary>What the instance policy networks read.</summary>
    public InstanceFeatures InstanceFeatures { get; set; } = InstanceFeatures.Encoder;
}

public sealed class PoolOptions
{
    /// <summary>Prompts mixed per instance; 0 = one shared prompt.</summary>
    public int Size { get; set; }

    /// <summary>tanh on the pool mixture.</summary>
    public bool Tanh { get; set; }
}

public sealed class GumbelOptions
{
    public GumbelSchedule Schedule { get; set; } = GumbelSchedule.Compound;
    public double InitialTemperature { get; set; } = 1.0;
    public double MinTemperature { get; set; } = 0.5;
    /// <summary>Exponential schedule: τ_t = max(τ0·exp(−rate·t), min).</summary>
    public double Rate { get; set; } = 1e-3;
}
