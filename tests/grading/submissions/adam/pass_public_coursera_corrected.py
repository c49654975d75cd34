# style: Coursera Deep Learning course 2 (update_parameters_with_adam, v_corrected / s_corrected dicts)
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    parameters, grads = {"W1": w}, {"dW1": dw}
    v_, s_ = {"dW1": v}, {"dW1": s}
    v_corrected, s_corrected = {}, {}
    for l in range(len(parameters)):
        k = "dW" + str(l + 1)
        v_[k] = beta1 * v_[k] + (1 - beta1) * grads[k]
        v_corrected[k] = v_[k] / (1 - np.power(beta1, t))
        s_[k] = beta2 * s_[k] + (1 - beta2) * np.power(grads[k], 2)
        s_corrected[k] = s_[k] / (1 - np.power(beta2, t))
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - lr * v_corrected[k] / (np.sqrt(s_corrected[k]) + eps)
    return parameters["W1"], v_["dW1"], s_["dW1"]
