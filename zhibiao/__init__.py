"""zhibiao (指标): the figures of Chinese government reports as grounded, checked facts."""

__version__ = "0.1.0"
