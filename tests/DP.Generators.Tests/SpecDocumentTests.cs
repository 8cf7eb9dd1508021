using DP.Generators.Model;
using DP.Generators.Validation;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>
/// A run folder's config.json is the spec again: the options a spec builds, written by the runtime and read back
/// by the build's validator, give the same resolved settings, with no diagnostic.
/// </summary>
public class SpecDocumentTests
{
    public static IEnumerable<object[]> Specs() => SampleSpecs.All.Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_written_configuration_validates_back_to_the_same_spec(string name)
    {
        var text = SampleSpecs.All.Single(s => s.Name == name).Spec;
        var original = SpecValidator.Validate("specs/original.dp.yaml", text).Spec!;
        var type = OverrideBehaviourTests.Load(text, "Demo.App." + original.TypeName);
        var options = (ExperimentOptions)type.GetMethod("CreateOptions")!.Invoke(null, null)!;

        var written = SpecDocument.Write(options);
        var again = SpecValidator.Validate("runs/config.json", written);

        Assert.True(again.Diagnostics.Count == 0, string.Join("\n", again.Diagnostics.Select(d => d.Id + " " + string.Join(", ", d.Args.ToArray()))) + "\n" + written);
        var method = original.Get("method.kind")!;
        Assert.Equal(Applying(original, method), Applying(again.Spec!, method));
        Assert.Equal(original.Task, again.Spec!.Task);
        Assert.Equal(original.Name, again.Spec!.Name);
    }

    private static SpecSetting[] Applying(ExperimentSpec spec, string method)
        => spec.Settings.Where(s => SpecSchema.AppliesTo(s.Key, method)).ToArray();
}
