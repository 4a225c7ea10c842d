using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;

namespace LiteRestore.Inference.Tests;

/// <summary>The measured tile costs that CPU tiles are sized from travel with every bundled model that tiles.</summary>
public sealed class TileCostTableTests
{
    public static TheoryData<string, ModelPrecision> TiledBundledModels()
    {
        var root = Fixtures.RepositoryModels ?? throw new DirectoryNotFoundException("The repository's models/ folder is missing.");
        var models = new TheoryData<string, ModelPrecision>();
        foreach (var model in ModelRepository.Discover(root, [], []).Where(m => m.Card is { Task: not RestorationTask.Inpaint }))
        {
            models.Add(model.Id, model.Precision);
        }

        return models;
    }

    [Theory]
    [MemberData(nameof(TiledBundledModels))]
    public void EveryBundledModelThatTilesHasItsTileCostsMeasuredFromTheNativeSideUp(string id, ModelPrecision precision)
    {
        var model = ModelRepository.Read(id, Path.Combine(Fixtures.RepositoryModels!, id));

        var curve = TileCostFile.Read(model.Folder)?.For(precision);

        Assert.NotNull(curve);
        Assert.Equal(model.Card!.Tile.Size, curve.Points[0].Side);
        Assert.True(curve.Points.Count > 1 && curve.Points.Zip(curve.Points.Skip(1)).All(pair => pair.First.Side < pair.Second.Side),
            $"{id} {precision}: the sides measured are {string.Join(", ", curve.Points.Select(p => p.Side))}");
    }

    [Fact]
    public async Task AModelWithoutTileCostsRunsNativeTilesOnTheCpu()
    {
        var root = Directory.CreateTempSubdirectory("literestore-no-costs-");
        try
        {
            var folder = Path.Combine(root.FullName, "fx-conv");
            Directory.CreateDirectory(folder);
            foreach (var file in Directory.GetFiles(Path.Combine(Fixtures.Models, "fx-conv")).Where(f => Path.GetFileName(f) != TileCostTable.FileName))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            using var engine = await TestEngines.StartAsync(["fx-conv"], o => o.CpuTileMegabytes = 256, root.FullName);

            Assert.Null(engine.TileSizingOf(new ModelKey("fx-conv"))!.MaxTilePixels);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
