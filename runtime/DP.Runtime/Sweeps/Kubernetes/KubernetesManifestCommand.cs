using DP.Runtime.Experiments;
using DP.Runtime.Sweeps.Cluster;

namespace DP.Runtime.Sweeps.Kubernetes;

/// <summary><c>sweep manifest --kubernetes</c>: writes the Indexed Job to a new <c>kubernetes/job-NNN.yaml</c> in the sweep folder.</summary>
public static class KubernetesManifestCommand
{
    public const string FolderName = "kubernetes";

    public static int Run(SweepContext context, ClusterOptions options)
    {
        var yaml = KubernetesJob.Format(context.Defaults.Name, context.Trials.Count, context.TrainArgs, options);
        var path = AtomicFile.WriteNumbered(Path.Combine(context.Folder.Root, FolderName), "job", "yaml", yaml);
        Console.WriteLine($"wrote {path}: an Indexed Job of {context.Trials.Count} trials; run it with 'kubectl apply -f {path}'.");
        return ExperimentCli.Ok;
    }
}
