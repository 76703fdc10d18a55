"""Random but non-trivial weights for a PyTorch module, shared by the scripts that check or make weight files."""
import torch


def randomise(model, seed):
    """Every float parameter and BN statistic random (variances positive), in eval mode; returns the model."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.dtype != torch.float32:
                continue
            if name.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape, generator=g))
            elif name.endswith("running_mean") or name.endswith("bias"):
                t.copy_(0.2 * torch.randn(t.shape, generator=g))
            elif name.endswith("weight") and t.dim() == 1:
                t.copy_(0.5 + torch.rand(t.shape, generator=g))
            else:
                fan_in = t[0].numel()
                t.copy_(torch.randn(t.shape, generator=g) * (2.0 / fan_in) ** 0.5)
    return model.eval()
