using System.Globalization;
using DP.Runtime.Training.Progress;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>What a run says before its first step (PEFT's print_trainable_parameters()).</summary>
[Collection(TorchRngCollection.Name)]
public class RunStartSummaryTests
{
    [Fact]
    public void EveryRunStartsWithTrainableAndTotalParameterCounts()
    {
        using var h = new TrainingHarness();
        var model = TrainingHarness.Model();
        model.Module.parameters().Last().requires_grad = false; // one frozen tensor: the head's bias
        long total = model.Module.parameters().Sum(p => p.numel());
        long trainable = model.Module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        Assert.True(trainable < total);
        var observer = new MessageLog();

        h.Run(TrainingHarness.Options(h.Dir, t => t.MaxSteps = 2), model, observer: observer);

        var expected = string.Format(CultureInfo.InvariantCulture, "trainable params: {0:N0} || all params: {1:N0} || trainable%: {2:0.####}",
            trainable, total, 100.0 * trainable / total);
        Assert.Contains(observer.Messages, m => m.Contains(expected, StringComparison.Ordinal));
        Assert.True(observer.SummaryBeforeFirstStep, "the counts come before the first step");
        model.Dispose();
    }

    private sealed class MessageLog : ITrainingObserver
    {
        private bool stepped;
        public List<string> Messages { get; } = [];
        public bool SummaryBeforeFirstStep { get; private set; }
        public void OnMessage(string message)
        {
            Messages.Add(message);
            if (!stepped && message.Contains("trainable params", StringComparison.Ordinal)) SummaryBeforeFirstStep = true;
        }
        public void OnStep(StepReport report) => stepped = true;
    }
}
