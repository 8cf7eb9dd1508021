using DP.Runtime.Experiments;
using DP.Runtime.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training.Optimizers;

/// <summary>Builds the configured optimizer with one parameter group (and learning rate) per model group.</summary>
public static class OptimizerFactory
{
    /// <summary>The learning rate of a named group: prompt/instance/head/backbone have their own options, the rest the default.</summary>
    public static double LearningRateFor(string group, TrainingOptions t) => group.ToLowerInvariant() switch
    {
        "prompt" => t.PromptLearningRate ?? t.LearningRate,
        "instance" => t.InstanceLearningRate ?? t.LearningRate,
        "head" => t.HeadLearningRate ?? t.LearningRate,
        "backbone" => t.BackboneLearningRate ?? t.LearningRate,
        _ => t.LearningRate,
    };

    public static OptimizerHelper Create(IReadOnlyList<ParameterGroup> groups, TrainingOptions t)
    {
        var nonEmpty = groups.Where(g => g.Parameters.Count > 0).ToList();
        if (nonEmpty.Count == 0)
            throw new InvalidOperationException("The model has no trainable parameters: every parameter group is empty.");
        foreach (var g in nonEmpty)
        {
            double lr = LearningRateFor(g.Name, t);
            if (!(lr > 0) || double.IsInfinity(lr))
                throw new ArgumentException($"training: the learning rate of parameter group '{g.Name}' must be a positive number (got {lr}).");
        }
        return t.Optimizer switch
        {
            OptimizerKind.Adafactor => new Adafactor(
                nonEmpty.Select(g => new Adafactor.ParamGroup(g.Parameters.ToList(), new Adafactor.Options { LearningRate = LearningRateFor(g.Name, t) })),
                t.LearningRate, weightDecay: t.WeightDecay),
            OptimizerKind.AdamW => new AdamW(
                nonEmpty.Select(g => new AdamW.ParamGroup(g.Parameters.ToList(), lr: LearningRateFor(g.Name, t), weight_decay: t.WeightDecay)),
                t.LearningRate, weight_decay: t.WeightDecay),
            _ => throw new ArgumentException($"training.optimizer: unknown optimizer {t.Optimizer}."),
        };
    }
}
