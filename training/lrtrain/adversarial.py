"""The adversarial term of the completion networks' training, in the spirit of Iizuka et al. 2017: a discriminator
learns to tell a photograph's real hole content from the network's, and the network is rewarded for fooling it.
Reconstruction alone converges to the blur of the harmonic fill the networks start from; this term is what asks for
texture and continued structure instead."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import spectral_norm

DISCRIMINATOR_FEATURES = 64
DISCRIMINATOR_LR = 2e-4
ADAM_BETAS = (0.5, 0.999)  # the usual GAN setting: a short momentum lets each side follow the other


class PatchDiscriminator(nn.Module):
    """Scores every 70x70 patch of an RGB + mask image as real (positive) or completed (negative). The mask channel
    tells it where the hole is; its local patches play the part of Iizuka et al.'s local discriminator, and its 70 px
    receptive field covers most of a 128 px window like their global one. Spectral normalisation keeps it Lipschitz,
    so its scores cannot run away from a generator that trains on a fraction of its steps' time."""

    def __init__(self):
        super().__init__()
        f = DISCRIMINATOR_FEATURES

        def block(i, o, stride):
            return [spectral_norm(nn.Conv2d(i, o, 4, stride=stride, padding=1)), nn.LeakyReLU(0.2, inplace=True)]

        self.body = nn.Sequential(*block(4, f, 2), *block(f, 2 * f, 2), *block(2 * f, 4 * f, 2), *block(4 * f, 4 * f, 1),
                                  spectral_norm(nn.Conv2d(4 * f, 1, 4, padding=1)))

    def forward(self, rgb: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.body(torch.cat([rgb, mask], dim=1))


def hole_weights(mask: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
    """Per-patch weights, summing to one per image over the patches that see any hole: only those can tell."""
    seen = F.adaptive_max_pool2d(mask, scores.shape[2:])
    return seen / seen.sum(dim=(1, 2, 3), keepdim=True).clamp(min=1)


class Adversary:
    """The discriminator and its optimiser. `generator_loss` is the network's adversarial term; `update` trains the
    discriminator one step on a real batch and a completed one (hinge loss)."""

    def __init__(self, dev: torch.device, saved: dict | None = None):
        self.discriminator = PatchDiscriminator().to(dev, memory_format=torch.channels_last)
        self.optimiser = torch.optim.Adam(self.discriminator.parameters(), lr=DISCRIMINATOR_LR, betas=ADAM_BETAS)
        if saved is not None:
            self.discriminator.load_state_dict(saved["discriminator"])
            self.optimiser.load_state_dict(saved["optimiser"])

    def state_dict(self) -> dict:
        return {"discriminator": self.discriminator.state_dict(), "optimiser": self.optimiser.state_dict()}

    @staticmethod
    def composite(output: torch.Tensor, net_input: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """What the service returns, the known pixels kept and the hole from the network, and the mask."""
        rgb, mask = net_input[:, :3], net_input[:, 3:4]
        return rgb * (1 - mask) + output * mask, mask

    def generator_loss(self, output: torch.Tensor, net_input: torch.Tensor) -> torch.Tensor:
        completed, mask = self.composite(output, net_input)
        for p in self.discriminator.parameters():
            p.requires_grad_(False)
        scores = self.discriminator(completed, mask)
        for p in self.discriminator.parameters():
            p.requires_grad_(True)
        return -(scores * hole_weights(mask, scores)).sum(dim=(1, 2, 3)).mean()

    def update(self, output: torch.Tensor, net_input: torch.Tensor, target: torch.Tensor) -> float:
        completed, mask = self.composite(output.detach(), net_input)
        real, fake = self.discriminator(target, mask), self.discriminator(completed, mask)
        weights = hole_weights(mask, real)
        loss = ((F.relu(1 - real) + F.relu(1 + fake)) * weights).sum(dim=(1, 2, 3)).mean()
        self.optimiser.zero_grad(set_to_none=True)
        loss.backward()
        self.optimiser.step()
        return loss.item()
