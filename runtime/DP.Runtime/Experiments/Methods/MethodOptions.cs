using System.Text.Json.Serialization;

namespace DP.Runtime.Experiments;

/// <summary>
/// The settings of one tuning method, one class per method as PEFT has one config per tuner: a run carries only
/// its own method's settings, so a prompt-tuning run has no Gumbel or pool options to get wrong. The spec schema
/// names the class that holds each <c>method.*</c> key; a test checks the two agree.
/// </summary>
// JSON (a sweep's trial state, option copies) names the class by its method.kind word.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FineTuningOptions), "finetune")]
[JsonDerivedType(typeof(PromptTuningOptions), "prompt")]
[JsonDerivedType(typeof(PrefixTuningOptions), "prefix")]
[JsonDerivedType(typeof(DynamicPromptingOptions), "dynamic")]
public abstract class MethodOptions
{
    protected MethodOptions(MethodKind kind) => Kind = kind;

    [JsonIgnore] // JSON's "kind" is the class's discriminator
    public MethodKind Kind { get; }

    /// <summary>A method's settings at their defaults: the registration of every method.</summary>
    public static MethodOptions Create(MethodKind kind) => kind switch
    {
        MethodKind.FineTune => new FineTuningOptions(),
        MethodKind.Prompt => new PromptTuningOptions(),
        MethodKind.Prefix => new PrefixTuningOptions(),
        MethodKind.Dynamic => new DynamicPromptingOptions(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown method.kind."),
    };
}

/// <summary>Fine-tuning: the whole backbone and the head train; no prompt.</summary>
public sealed class FineTuningOptions() : MethodOptions(MethodKind.FineTune);

/// <summary>The methods that learn prompt vectors over a frozen backbone.</summary>
public abstract class SoftPromptOptions(MethodKind kind) : MethodOptions(kind)
{
    /// <summary>Prompt tokens (for dynamic length policies, the most a prompt may keep).</summary>
    public int PromptLength { get; set; } = 20;
}
