using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Models;

/// <summary>
/// One padded batch of encoded examples. Classification: one row per example, <see cref="Labels"/> [B] holds
/// class indices. Multiple choice (COPA, ReCoRD): one row per candidate, <see cref="ChoiceCounts"/> gives
/// how many consecutive rows belong to each example and <see cref="Labels"/> the index of the right one.
/// </summary>
public sealed record ModelBatch(
    Tensor InputIds,
    Tensor AttentionMask,
    Tensor? TokenTypeIds,
    Tensor Labels,
    long[] ExampleKeys,
    int[]? ChoiceCounts = null) : IDisposable
{
    public int Size => ExampleKeys.Length;

    /// <summary>
    /// The batch on the host that <see cref="To"/> copied this one from (null when this one is the host's own): what the
    /// model needs to know about the ids and masks on the host (row lengths, fingerprints, a mask check) it reads from
    /// here, without a device→host synchronisation. Not owned: <see cref="Dispose"/> leaves it alone.
    /// </summary>
    public ModelBatch? Host { get; init; }

    /// <summary>This batch's tensors on the host: <see cref="Host"/>'s when it has one, otherwise its own.</summary>
    public ModelBatch OnHost => Host ?? this;

    public ModelBatch To(Device device) => this with
    {
        InputIds = InputIds.to(device),
        AttentionMask = AttentionMask.to(device),
        TokenTypeIds = TokenTypeIds?.to(device),
        Labels = Labels.to(device),
        Host = Host ?? (InputIds.device_type == DeviceType.CPU ? this : null),
    };

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        TokenTypeIds?.Dispose();
        Labels.Dispose();
    }
}

/// <summary>A named group of trainable parameters (prompt, instance, head, backbone) for per-group learning rates.</summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<TorchSharp.Modules.Parameter> Parameters);

/// <summary>
/// The contract between prompt methods and the trainer. Every method (fine-tuning, prompt tuning,
/// P-tuning v2, dynamic prompting) is one of these.
/// </summary>
public interface ITrainableModel : IDisposable
{
    /// <summary>The root module: its state dict holds everything, trainable or not.</summary>
    nn.Module Module { get; }

    /// <summary>Trainable parameters by group; frozen ones are absent.</summary>
    IReadOnlyList<ParameterGroup> ParameterGroups { get; }

    /// <summary>Class scores [B, C] (classification) or candidate scores [B, maxChoices] padded with -inf.</summary>
    Tensor Scores(ModelBatch batch);

    /// <summary>Mean training loss of the batch (a scalar).</summary>
    Tensor Loss(ModelBatch batch);

    /// <summary>Called after every optimizer step (temperature annealing and the like).</summary>
    void OnOptimizerStep(long step);

    /// <summary>The current Gumbel-softmax temperature, for a model that anneals one; null otherwise.</summary>
    double? Temperature => null;

    /// <summary>State beyond parameters that a checkpoint must carry (e.g. the Gumbel temperature).</summary>
    IDictionary<string, double> ExtraState { get; }

    /// <summary>Saves only the trainable parts (prompt-only checkpoint, kilobytes for prompt methods).</summary>
    void SaveTrainable(string path);

    /// <summary>Loads what <see cref="SaveTrainable"/> wrote; a missing or mis-shaped tensor is an error naming it.</summary>
    void LoadTrainable(string path);

    /// <summary>What the run prints before its first step: trainable and frozen parameter counts.</summary>
    string ParameterSummary()
    {
        var (trainable, frozen) = ParameterCounts.Of(Module);
        return ParameterCounts.Line(trainable, frozen);
    }
}
