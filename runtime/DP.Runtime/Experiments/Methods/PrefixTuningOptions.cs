namespace DP.Runtime.Experiments;

/// <summary>P-tuning v2 (method.kind 'prefix'): learned key/value prefixes in front of every layer.</summary>
public sealed class PrefixTuningOptions() : SoftPromptOptions(MethodKind.Prefix)
{
    /// <summary>Produce the deep prompts with an MLP (Embedding → Linear → tanh → Linear).</summary>
    public bool Reparameterize { get; set; }

    public int ReparameterizeHidden { get; set; } = 512;
}
